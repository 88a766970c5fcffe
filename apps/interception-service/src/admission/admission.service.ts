import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ProcessFailedReasonName, TemplateTypeName } from '@sms/domain-catalogue';
import {
  checkContent,
  compileTemplate,
  DEFAULT_TEMPLATE_TYPE_RULES,
  fillTemplate,
  renderTemplate,
  type CompiledTemplate,
  type ContentPolicy,
  type TemplateTypeRules,
} from '@sms/domain-sms-content';
import { normalizeText, type WordMatcher } from '@sms/domain-word-matcher';
import type { CheckResult } from '../checks/check-result';
import { ChecksService } from '../checks/checks.service';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { WordLists } from '../interception-words/word-lists';
import { requireId } from '../request-fields';
import { AdmissionMetrics } from './admission.metrics';
import {
  resolveAdmissionPhone,
  type AdmissionPhone,
  type AdmissionPhones,
} from './admission-phones';
import type { AdmitInput, AdmitOutcome, WordHit } from './admission-result';
import { FrequencyLimiterUnavailableError } from './admission.errors';
import { FrequencyLimitsCache } from '../frequency-limits/frequency-limits-cache';
import { describeWindow } from './frequency-limits';
import { FrequencyLimiter, type FrequencyAnswer } from './frequency-limiter';

export const MAX_ADMIT_BATCH = 1000;
export const FREQUENCY_LIMITER = Symbol('FREQUENCY_LIMITER');
export const ADMISSION_PHONES = Symbol('ADMISSION_PHONES');

const MAX_LABELS = 20;
const MAX_LABEL_LENGTH = 64;
const MAX_TEMPLATE_LENGTH = 4000;
const MAX_VARIABLES = 100;

/** A message with a valid number and shape, its content rules not yet run. */
interface Screened {
  readonly index: number;
  readonly input: AdmitInput;
  readonly phone: Extract<AdmissionPhone, { ok: true }>;
}

/** A message still being decided: everything but blocks and frequency is known. */
interface Pending {
  readonly index: number;
  readonly phone: string;
  readonly templateId: string;
  /** The first reason found in memory (precedence after the blocks), or null. */
  readonly local: AdmitOutcome | null;
  readonly entries: number;
  readonly encoding: AdmitOutcome['encoding'];
}

/**
 * Admission (SPEC 6a, docs/admission-evaluation-order.md): every process-failed reason decided in
 * one call. The numbers and shapes are checked first for the whole batch; one Redis round trip
 * then reads the block index for every number that passed (a blocked number is reported as a
 * block whatever else is wrong) while the other in-memory rules (variables, words, content) run;
 * then one pipelined round trip asks the frequency limiter for the messages still allowed — the
 * only step that counts, so only sends that happen count.
 */
@Injectable()
export class AdmissionService {
  private readonly logger = new Logger(AdmissionService.name);
  private readonly rules: Readonly<Record<TemplateTypeName, TemplateTypeRules>> =
    DEFAULT_TEMPLATE_TYPE_RULES;
  private readonly contentPolicy: ContentPolicy;

  constructor(
    private readonly checks: ChecksService,
    private readonly words: WordLists,
    @Inject(FREQUENCY_LIMITER) private readonly limiter: FrequencyLimiter,
    @Inject(ADMISSION_PHONES) private readonly phones: AdmissionPhones,
    private readonly frequencyLimits: FrequencyLimitsCache,
    private readonly metrics: AdmissionMetrics,
    @Inject(INTERCEPTION_CONFIG) private readonly config: InterceptionConfig,
  ) {
    this.contentPolicy = { forbiddenCharacters: config.ADMISSION_FORBIDDEN_CHARACTERS };
  }

  async admit(accountId: string, input: AdmitInput): Promise<AdmitOutcome> {
    const [outcome] = await this.decide('admit', accountId, [input]);
    return outcome;
  }

  async admitBatch(accountId: string, inputs: readonly AdmitInput[]): Promise<AdmitOutcome[]> {
    return this.decide('admit_batch', accountId, inputs);
  }

  private async decide(
    method: 'admit' | 'admit_batch',
    accountIdInput: string,
    inputs: readonly AdmitInput[],
  ): Promise<AdmitOutcome[]> {
    const startedAt = process.hrtime.bigint();
    const accountId = requireId(accountIdInput, 'account_id');
    const outcomes: AdmitOutcome[] = new Array<AdmitOutcome>(inputs.length);
    const screened: Screened[] = [];
    inputs.forEach((input, index) => {
      const decided = this.screen(input, index);
      if ('reason' in decided) outcomes[index] = decided;
      else screened.push(decided);
    });

    if (screened.length > 0) {
      // The block index is read while the content rules run (the command is on its way before
      // they start): Redis and this process work at the same time instead of one after the other
      // (issue 17). The same numbers are read as when the read followed the rules: those with a
      // valid number and shape.
      const reading = this.checks.checkBatch(
        accountId,
        screened.map((message) => message.phone.e164),
      );
      // Awaited below; a failure while the rules still run must not count as unhandled.
      reading.catch(() => undefined);
      const words = { platform: this.words.platform(), account: this.words.account(accountId) };
      // A batch repeats a few templates: each is parsed once.
      const templates = new Map<string, CompiledTemplate>();
      const pending = screened.map((message) => this.contentRules(message, words, templates));
      const blocks = await reading;
      const toCount: Pending[] = [];
      pending.forEach((message, n) => {
        const block = blocks[n];
        if (block.verdict !== 'ALLOW') outcomes[message.index] = blocked(message, block);
        else if (message.local) outcomes[message.index] = message.local;
        else toCount.push(message);
      });
      await this.countFrequency(accountId, toCount, outcomes);
    }
    this.metrics.admitted(method, outcomes, startedAt);
    return outcomes;
  }

  /** The number and the message's shape: without both nothing else can be decided (OTHER). */
  private screen(input: AdmitInput, index: number): AdmitOutcome | Screened {
    const phone = this.phones.resolve(input.phone, resolveAdmissionPhone);
    if (!phone.ok) return other(input.phone, `phone "${input.phone}" ${phone.problem}`);
    const problem = shapeProblem(input);
    if (problem) return other(phone.e164, problem);
    return { index, input, phone };
  }

  /** Every other rule that needs no I/O, in precedence order after the blocks. */
  private contentRules(
    { index, input, phone }: Screened,
    words: BatchWords,
    templates: Map<string, CompiledTemplate>,
  ): Pending {
    const type = input.templateType as TemplateTypeName;
    const rules = this.rules[type];

    let content = input.content;
    let variableProblem: { variable: string; detail: string } | null = null;
    if (input.templateText) {
      let template = templates.get(input.templateText);
      if (!template)
        templates.set(input.templateText, (template = compileTemplate(input.templateText)));
      const rendered = renderTemplate(template, input.variables, rules);
      if (rendered.ok) content = rendered.content;
      else {
        variableProblem = rendered;
        // Keyword blocks outrank variable errors: look for words in what can be rendered.
        content = fillTemplate(template, (name) =>
          Object.hasOwn(input.variables, name) ? ` ${input.variables[name]} ` : ' ',
        );
      }
    }
    const verdict = checkContent(
      content,
      type,
      rules,
      this.contentPolicy,
      this.config.ADMISSION_SIGNATURE_COUNTRIES.has(phone.country),
    );
    const entries = variableProblem ? 0 : verdict.count.segments;
    const encoding = variableProblem ? null : verdict.count.encoding;
    const base = { phone: phone.e164, entries, encoding };

    let local: AdmitOutcome | null = null;
    const word = findWord(content, words);
    if (word) {
      local = outcome(base, 'KEYWORD_BLOCK', wordDetail(word), { word });
    } else if (variableProblem) {
      local = outcome(base, 'VARIABLE_ERROR', variableProblem.detail, {
        variable: variableProblem.variable,
      });
    } else if (!verdict.ok) {
      local = outcome(base, 'CONTENT_ERROR', verdict.detail);
    } else if (!phone.smsCapable) {
      // Lowest precedence, but decided before the limiter: a send that will not happen must not
      // count towards a frequency limit.
      local = outcome(
        base,
        'OTHER',
        `${phone.e164} is a ${phone.type.toLowerCase().replace(/_/g, '-')} number, which cannot receive SMS`,
      );
    }
    return {
      index,
      phone: phone.e164,
      templateId: input.templateId.trim(),
      local,
      entries,
      encoding,
    };
  }

  private async countFrequency(
    accountId: string,
    messages: readonly Pending[],
    outcomes: AdmitOutcome[],
  ): Promise<void> {
    if (messages.length === 0) return;
    const limits = this.frequencyLimits.forAccount(accountId);
    const requests = messages.map((m) => ({
      accountId,
      phone: m.phone,
      templateId: m.templateId,
      limits,
    }));
    let answers: FrequencyAnswer[];
    try {
      answers = await this.limiter.admitMany(requests, Date.now());
    } catch (error) {
      this.logger.error(`frequency limiter failed: ${String(error)}`);
      throw new FrequencyLimiterUnavailableError();
    }
    messages.forEach((message, n) => {
      const answer = answers[n];
      const base = { phone: message.phone, entries: message.entries, encoding: message.encoding };
      outcomes[message.index] = answer.allowed
        ? outcome(base, null, '')
        : outcome(base, 'FREQUENCY_OVERRUN', frequencyDetail(answer, message.templateId), {
            frequency: {
              scope: answer.scope,
              seconds: answer.seconds,
              limit: answer.limit,
              retryAtMs: answer.retryAtMs,
            },
          });
    });
  }
}

type OutcomeExtras = Partial<
  Pick<AdmitOutcome, 'entry' | 'unsubscribe' | 'word' | 'variable' | 'frequency'>
>;

function outcome(
  base: Pick<AdmitOutcome, 'phone' | 'entries' | 'encoding'>,
  reason: ProcessFailedReasonName | null,
  detail: string,
  extras: OutcomeExtras = {},
): AdmitOutcome {
  // Every field spelt out (no spread): a thousand of these a batch, all of one shape.
  return {
    phone: base.phone,
    entries: base.entries,
    encoding: base.encoding,
    reason,
    detail,
    entry: extras.entry ?? null,
    unsubscribe: extras.unsubscribe ?? null,
    word: extras.word ?? null,
    variable: extras.variable ?? null,
    frequency: extras.frequency ?? null,
  };
}

function other(phone: string, detail: string): AdmitOutcome {
  return outcome({ phone, entries: 0, encoding: null }, 'OTHER', detail);
}

/** What is wrong with the message's shape (beyond its number), or null. */
function shapeProblem(input: AdmitInput): string | null {
  if (!input.templateType) return 'template_type is required';
  const templateId = input.templateId.trim();
  if (!templateId || templateId.length > 128) return 'template_id must be 1..128 characters';
  if (input.templateText && input.content)
    return 'give template_text (with variables) or content, not both';
  if (input.templateText.length > MAX_TEMPLATE_LENGTH || input.content.length > MAX_TEMPLATE_LENGTH)
    return `template_text and content must be at most ${MAX_TEMPLATE_LENGTH} characters`;
  if (Object.keys(input.variables).length > MAX_VARIABLES)
    return `at most ${MAX_VARIABLES} variables`;
  if (input.labels.length > MAX_LABELS) return `at most ${MAX_LABELS} labels`;
  if (input.labels.some((label) => !label.trim() || label.trim().length > MAX_LABEL_LENGTH))
    return `labels must be 1..${MAX_LABEL_LENGTH} characters each`;
  return null;
}

/** The word lists that apply to a batch's account. */
interface BatchWords {
  readonly platform: WordMatcher | undefined;
  readonly account: WordMatcher | undefined;
}

function findWord(content: string, { platform, account }: BatchWords): WordHit | null {
  if (!platform && !account) return null;
  // The content is normalised once for both lists.
  const normalized = normalizeText(content);
  const platformHit = platform?.findFirst(content, normalized);
  if (platformHit)
    return { word: platformHit.word, list: 'PLATFORM', matchedText: platformHit.matchedText };
  const accountHit = account?.findFirst(content, normalized);
  if (accountHit)
    return { word: accountHit.word, list: 'ACCOUNT', matchedText: accountHit.matchedText };
  return null;
}

function wordDetail(word: WordHit): string {
  const list = word.list === 'PLATFORM' ? 'platform' : "account's";
  return word.matchedText === word.word
    ? `content contains the ${list} interception word "${word.word}"`
    : `content contains the ${list} interception word "${word.word}" (written "${word.matchedText}")`;
}

function blocked(message: Pending, block: CheckResult): AdmitOutcome {
  const base = { phone: message.phone, entries: message.entries, encoding: message.encoding };
  if (block.verdict === 'UNSUBSCRIBE' && block.unsubscribe) {
    const since = new Date(block.unsubscribe.sinceMs).toISOString();
    return outcome(
      base,
      'UNSUBSCRIBE',
      `the recipient unsubscribed from this account on ${since} (${block.unsubscribe.source === 'REPLY' ? 'by reply' : 'through the API'})`,
      { unsubscribe: block.unsubscribe },
    );
  }
  const entry = block.entry;
  const until = entry?.expiresAtMs
    ? `until ${new Date(entry.expiresAtMs).toISOString()}`
    : 'until deleted';
  const which =
    block.verdict === 'GLOBAL_BLOCK' ? 'the global block list' : "this account's block list";
  return outcome(
    base,
    block.verdict as ProcessFailedReasonName,
    `number is on ${which} (entry ${entry?.entryId ?? '?'}: ${entry?.reason ?? ''}) ${until}`,
    { entry },
  );
}

function frequencyDetail(
  answer: Extract<FrequencyAnswer, { allowed: false }>,
  templateId: string,
): string {
  const what =
    answer.scope === 'TEMPLATE'
      ? `${answer.limit} message${answer.limit === 1 ? '' : 's'} of template ${templateId}`
      : `${answer.limit} message${answer.limit === 1 ? '' : 's'} (any template)`;
  return `at most ${what} per ${describeWindow(answer.seconds)} to this number; sending is possible again at ${new Date(answer.retryAtMs).toISOString()}`;
}
