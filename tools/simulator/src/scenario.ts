// What the simulator will send, decided up front from a seed and nothing else (no I/O, no clock):
// messages in rounds, each with the outcome its channel will report if the send goes ahead, and
// recipients' replies. Whether a send goes ahead is only known at run time (CheckBatch), so the
// outcome here is the *planned* one; see events.ts for how verdicts turn a plan into events.
import { SEND_FAILURE_CODES, type SendFailureCodeNumber } from '@sms/domain-catalogue';
import { CodeCatalogue, type TemplateTypeName } from '@sms/domain-catalogue';
import { normalizePhone } from '@sms/domain-phone';
import { countSegments, renderTemplate } from '@sms/domain-sms-content';
import { SeededRandom } from './random';

export type PlannedOutcome =
  | { readonly kind: 'DELIVERED' }
  | { readonly kind: 'SEND_FAILED'; readonly code: SendFailureCodeNumber }
  /** Handed to the channel, which never reports back: stays WAIT_RESULT. */
  | { readonly kind: 'NO_RECEIPT' }
  /** Accepted but never handed to a channel: stays SENDING. */
  | { readonly kind: 'NOT_SUBMITTED' };

/**
 * What a message is planned to get wrong at admission (besides blocks, which come from the
 * failures and unsubscribes of earlier rounds). FREQUENCY_PAIR: two messages of one template to
 * one number in one round — the second admitted is a frequency overrun.
 */
export type PlannedProblem =
  'NONE' | 'KEYWORD' | 'VARIABLE' | 'CONTENT' | 'OTHER' | 'FREQUENCY_PAIR';

/** The text as the sending service hands it to admission: a template with values, or content. */
export interface PlannedText {
  readonly templateText: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly content: string;
}

export interface PlannedMessage {
  /** Position in the whole scenario; request times grow with it. */
  readonly seq: number;
  readonly messageId: string;
  readonly round: number;
  readonly accountIndex: number;
  /** E.164. */
  readonly recipient: string;
  readonly smsUser: string;
  readonly templateId: string;
  readonly templateType: TemplateTypeName;
  readonly labels: readonly string[];
  readonly text: PlannedText;
  readonly problem: PlannedProblem;
  /** Segments of the rendered text (what admission answers as entries), at least 1. */
  readonly entries: number;
  readonly channel: string;
  readonly operator: string;
  readonly requestTime: Date;
  readonly submitTime: Date;
  readonly receiptTime: Date;
  readonly outcome: PlannedOutcome;
  /** The receipt reaches us before SUBMITTED does. */
  readonly receiptBeforeSubmitted: boolean;
  /** The channel reports the same receipt twice. */
  readonly duplicateReceipt: boolean;
  /** The receipt (and its duplicate) carry no eventId: the natural key must catch the repeat. */
  readonly receiptWithoutEventId: boolean;
  /** After a SEND_FAILED, the channel later reports DELIVERED too (first final receipt wins). */
  readonly conflictingReceipt: boolean;
}

export type ReplyNaming = 'MESSAGE' | 'ACCOUNT' | 'NONE';

export interface PlannedReply {
  readonly replyId: string;
  readonly round: number;
  /** The message it answers (only sent when that message was delivered). */
  readonly answersMessageId: string;
  readonly phone: string;
  readonly content: string;
  readonly keyword: 'UNSUBSCRIBE' | 'NONE';
  /** What the channel tells us: the message, only the account, or nothing. */
  readonly naming: ReplyNaming;
  readonly receivedAt: Date;
  readonly duplicate: boolean;
  readonly channel: string;
  readonly operator: string;
}

export interface PlannedRound {
  readonly index: number;
  readonly messages: readonly PlannedMessage[];
  readonly replies: readonly PlannedReply[];
}

export interface Scenario {
  readonly seed: number;
  readonly runId: string;
  readonly accounts: number;
  readonly rounds: readonly PlannedRound[];
}

export interface ScenarioOptions {
  readonly seed: number;
  /** Makes message and reply ids unique per run against a long-lived system. */
  readonly runId: string;
  readonly messages: number;
  readonly accounts: number;
  /** Request time of the first message; every time in the scenario follows from it. */
  readonly startTime: Date;
  /** Default: one round per 50 messages, 1..4. */
  readonly rounds?: number;
}

export const MIN_MESSAGES = 30;
export const MAX_MESSAGES = 100_000;
export const MAX_ACCOUNTS = 50;
/** Each round owns a slot of this length; its sends, receipts and replies all fall inside it. */
export const ROUND_SLOT_MS = 3 * 60_000;
/** Scenario time of a whole run: start it at least this long before now so nothing is future. */
export function scenarioSpanMs(rounds: number): number {
  return rounds * ROUND_SLOT_MS;
}
const SEND_WINDOW_MS = 60_000;

/** Each account's own interception word (the simulator adds it through the gateway). */
export const SIM_KEYWORD = 'jackpot';
/** UK fixed-line numbers kept for drama (020 7946 0000–0999): valid, but cannot receive SMS. */
const FIXED_LINE_PREFIX = '+44207946';

/** UK mobile range that libphonenumber's full metadata accepts; 5 free digits. */
const PHONE_PREFIX = '+4479111';
const PHONE_RANGE = 100_000;

export const UNSUBSCRIBE_TEXTS = [
  'STOP',
  'td',
  '退订',
  ' Stop. ',
  'UNSUBSCRIBE',
  'TD退订',
] as const;
/** Plain replies; none of them is a keyword after case-folding and dropping spaces/punctuation. */
export const PLAIN_TEXTS = [
  'Thanks!',
  'Who is this?',
  'OK, see you then',
  'Stopping by later',
  'Please call me',
  'Got it 👍',
] as const;

const TEMPLATE_TYPES: readonly TemplateTypeName[] = ['VERIFICATION', 'NOTIFICATION', 'MARKETING'];
const LABELS = ['promo', 'otp', 'billing', 'spring-sale', 'vip'] as const;
const CHANNELS = ['channel-a', 'channel-b', 'channel-c'] as const;
const OPERATORS = ['vodafone-uk', 'ee', 'o2-uk', 'three-uk'] as const;

const catalogue = new CodeCatalogue();

export function phoneNumberAt(index: number): string {
  return normalizePhone(`${PHONE_PREFIX}${String(index).padStart(5, '0')}`, 'simulated phone');
}

/** Why an option is out of range, or undefined when the options are fine. */
export function scenarioOptionsProblem(options: ScenarioOptions): string | undefined {
  const { messages, accounts, seed, rounds } = options;
  if (!Number.isInteger(messages) || messages < MIN_MESSAGES || messages > MAX_MESSAGES) {
    return `messages must be a whole number in ${MIN_MESSAGES}..${MAX_MESSAGES}`;
  }
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > MAX_ACCOUNTS) {
    return `accounts must be a whole number in 1..${MAX_ACCOUNTS}`;
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    return 'seed must be a whole number in 0..4294967295';
  }
  if (rounds !== undefined && (!Number.isInteger(rounds) || rounds < 1 || rounds > 10)) {
    return 'rounds must be a whole number in 1..10';
  }
  if (rounds !== undefined && messages / rounds < MIN_MESSAGES) {
    return `each round needs at least ${MIN_MESSAGES} messages`;
  }
  if (!/^[a-z0-9-]{1,24}$/.test(options.runId)) return 'runId must be 1..24 of a-z 0-9 -';
  return undefined;
}

/** One round per 50 messages, 1..4, unless chosen. */
export function roundCountFor(messages: number, rounds?: number): number {
  return rounds ?? Math.min(4, Math.max(1, Math.floor(messages / 50)));
}

interface RevisitTarget {
  readonly phone: string;
  readonly accountIndex: number;
  /** GLOBAL blocks every account; LOCAL and UNSUBSCRIBE only the owner. */
  readonly applies: 'EVERY_ACCOUNT' | 'OWNER';
}

export function generateScenario(options: ScenarioOptions): Scenario {
  const problem = scenarioOptionsProblem(options);
  if (problem) throw new RangeError(problem);
  const random = new SeededRandom(options.seed);
  const roundCount = roundCountFor(options.messages, options.rounds);
  const sizes = Array.from(
    { length: roundCount },
    (_, i) =>
      Math.floor(options.messages / roundCount) + (i < options.messages % roundCount ? 1 : 0),
  );
  // Fewer numbers than messages, so numbers repeat across rounds (and pick up blocks), but
  // always enough that a round never repeats a number (its CheckBatch sees every number once).
  const poolSize = Math.max(Math.ceil(options.messages * 0.6), Math.ceil((sizes[0] ?? 0) * 1.5));
  const poolOffset = random.int(0, PHONE_RANGE - poolSize);
  const targets: RevisitTarget[] = [];
  const rounds: PlannedRound[] = [];
  let seq = 0;
  let replySeq = 0;

  for (let round = 0; round < roundCount; round++) {
    const slotStart = options.startTime.getTime() + round * ROUND_SLOT_MS;
    const size = sizes[round] ?? 0;
    const used = new Set<string>();
    const drafts: Draft[] = [];
    for (let i = 0; i < size; i++, seq++) {
      let accountIndex = random.int(0, options.accounts - 1);
      let phone: string | undefined;
      if (targets.length > 0 && random.chance(0.25)) {
        const target = random.pick(targets);
        if (!used.has(target.phone)) {
          phone = target.phone;
          // Owner-only blocks: usually the same account again (blocked), sometimes another one
          // (allowed), which is what tells a LOCAL entry from a GLOBAL one.
          if (target.applies === 'OWNER') {
            accountIndex =
              options.accounts > 1 && random.chance(0.35)
                ? (target.accountIndex + random.int(1, options.accounts - 1)) % options.accounts
                : target.accountIndex;
          }
        }
      }
      while (phone === undefined || used.has(phone)) {
        phone = phoneNumberAt(poolOffset + random.int(0, poolSize - 1));
      }
      used.add(phone);
      const requestTime = new Date(slotStart + Math.floor((i * SEND_WINDOW_MS) / size));
      const submitTime = new Date(requestTime.getTime() + random.int(200, 3000));
      const receiptTime = new Date(submitTime.getTime() + random.int(1000, 20_000));
      const templateType = random.pick(TEMPLATE_TYPES);
      const outcome = random.weighted<PlannedOutcome['kind']>([
        ['DELIVERED', 70],
        ['SEND_FAILED', 20],
        ['NO_RECEIPT', 6],
        ['NOT_SUBMITTED', 4],
      ]);
      drafts.push({
        seq,
        messageId: `m-${options.runId}-${seq}`,
        round,
        accountIndex,
        recipient: phone,
        smsUser: `user-${random.int(1, 3)}`,
        templateId: `tpl-${random.int(1, 5)}`,
        templateType,
        labels: random.chance(0.6) ? [random.pick(LABELS)] : [],
        ...plainText(templateType, random),
        problem: 'NONE',
        channel: random.pick(CHANNELS),
        operator: random.pick(OPERATORS),
        requestTime,
        submitTime,
        receiptTime,
        outcome:
          outcome === 'SEND_FAILED'
            ? { kind: outcome, code: random.pick(SEND_FAILURE_CODES) }
            : { kind: outcome },
        receiptBeforeSubmitted: random.chance(0.08),
        duplicateReceipt: random.chance(0.08),
        receiptWithoutEventId: random.chance(0.3),
        conflictingReceipt: random.chance(0.15),
      });
    }
    // A few admission problems in later rounds; round 0 has each kind exactly where planned.
    if (round === 0) guaranteeCoverage(drafts, random);
    else {
      for (const draft of drafts) {
        if (random.chance(0.04)) plantProblem(draft, random.pick(RANDOM_PROBLEMS), random);
      }
    }
    const messages = drafts.map(finishDraft);
    const replies = planReplies(messages, round, random, () => `r-${options.runId}-${replySeq++}`);
    for (const message of messages) {
      if (
        message.outcome.kind === 'SEND_FAILED' &&
        catalogue.ruleFor(message.outcome.code).blocks
      ) {
        const scope = catalogue.ruleFor(message.outcome.code).scope;
        targets.push({
          phone: message.recipient,
          accountIndex: message.accountIndex,
          applies: scope === 'GLOBAL' ? 'EVERY_ACCOUNT' : 'OWNER',
        });
      }
    }
    for (const reply of replies) {
      if (reply.keyword === 'UNSUBSCRIBE') {
        const answered = messages.find((m) => m.messageId === reply.answersMessageId);
        if (answered)
          targets.push({
            phone: reply.phone,
            accountIndex: answered.accountIndex,
            applies: 'OWNER',
          });
      }
    }
    rounds.push({ index: round, messages, replies });
  }
  return { seed: options.seed, runId: options.runId, accounts: options.accounts, rounds };
}

type Draft = { -readonly [K in keyof PlannedMessage]: PlannedMessage[K] };

/**
 * Round 0 only sends to fresh numbers, so nothing in it can be blocked: it is where every code
 * and every irregularity is guaranteed to happen at least once.
 */
function guaranteeCoverage(drafts: Draft[], random: SeededRandom): void {
  const order = random.shuffle(drafts.map((_, i) => i));
  const at = (n: number): Draft => drafts[order[n]];
  SEND_FAILURE_CODES.forEach((code, n) => (at(n).outcome = { kind: 'SEND_FAILED', code }));
  at(10).outcome = { kind: 'DELIVERED' };
  at(10).receiptBeforeSubmitted = true;
  at(11).outcome = { kind: 'DELIVERED' };
  at(11).duplicateReceipt = true;
  at(11).receiptWithoutEventId = false;
  at(12).outcome = { kind: 'NO_RECEIPT' };
  at(13).outcome = { kind: 'NOT_SUBMITTED' };
  at(14).outcome = { kind: 'DELIVERED' };
  at(14).duplicateReceipt = true;
  at(14).receiptWithoutEventId = true;
  // A blocking failure that arrives before SUBMITTED and twice, and a 0-second one followed by
  // a conflicting DELIVERED.
  at(0).receiptBeforeSubmitted = true;
  at(2).duplicateReceipt = true;
  at(3).conflictingReceipt = true;
  // Replies need delivered messages to answer.
  for (let n = 15; n < 19; n++) at(n).outcome = { kind: 'DELIVERED' };
  // Every admission problem once, on messages with no other role.
  plantProblem(at(19), 'KEYWORD', random);
  plantProblem(at(20), 'VARIABLE', random);
  plantProblem(at(21), 'CONTENT', random);
  plantProblem(at(22), 'OTHER', random);
  // The same template to the same number twice in one round: the second is a frequency overrun.
  at(23).outcome = { kind: 'NOT_SUBMITTED' };
  at(24).outcome = { kind: 'NOT_SUBMITTED' };
  const pair: Partial<Draft> = {
    recipient: at(23).recipient,
    accountIndex: at(23).accountIndex,
    templateId: at(23).templateId,
    templateType: at(23).templateType,
    problem: 'FREQUENCY_PAIR',
  };
  Object.assign(at(23), pair);
  Object.assign(at(24), pair, plainText(at(23).templateType, random));
}

const RANDOM_PROBLEMS: readonly PlannedProblem[] = ['KEYWORD', 'VARIABLE', 'CONTENT', 'OTHER'];

const NAMES = ['Ann', 'Bo', 'Chen Wei', 'Dara', 'Élodie'] as const;
const MARKETING_TEXTS = [
  'Spring sale: 20% off everything this week. Reply STOP to opt out.',
  '周末特惠，全场八折！回复TD退订',
  'New arrivals are in — see what is new at example.com. Reply STOP to opt out.',
] as const;
/** Long enough for several segments (notifications may take up to 6). */
const LONG_NOTICE =
  'Your statement for this month is ready. It lists every payment, refund and fee since your last statement, and the balance carried forward. ';

/** A well-formed text of the template type; its segment count is the message's entries. */
function plainText(
  templateType: TemplateTypeName,
  random: SeededRandom,
): { text: PlannedText; entries: number } {
  let text: PlannedText;
  if (templateType === 'VERIFICATION') {
    text = {
      templateText: 'Your verification code is {{code}}. It expires in 10 minutes.',
      variables: { code: String(random.int(100_000, 999_999)) },
      content: '',
    };
  } else if (templateType === 'NOTIFICATION') {
    const long = random.chance(0.25);
    text = {
      templateText: long
        ? `Hi {{name}}, ${LONG_NOTICE.repeat(random.int(1, 4))}Order {{order}}.`
        : 'Hi {{name}}, your order {{order}} has shipped.',
      variables: { name: random.pick(NAMES), order: `#${random.int(1000, 9999)}` },
      content: '',
    };
  } else {
    text = { templateText: '', variables: {}, content: random.pick(MARKETING_TEXTS) };
  }
  return { text, entries: entriesOf(text) };
}

/** The message's number of entries: segments of the rendered text (of the template if it cannot render). */
export function entriesOf(text: PlannedText): number {
  const rendered = text.templateText
    ? renderTemplate(text.templateText, text.variables, {
        refuseUnusedVariables: false,
        maxVariableLength: Number.MAX_SAFE_INTEGER,
      })
    : { ok: true as const, content: text.content };
  return countSegments(rendered.ok ? rendered.content : text.templateText).segments;
}

function plantProblem(draft: Draft, problem: PlannedProblem, random: SeededRandom): void {
  draft.problem = problem;
  let text: PlannedText = plainText(draft.templateType, random).text;
  switch (problem) {
    case 'KEYWORD':
      text = {
        templateText: '',
        variables: {},
        content: `Win the ${SIM_KEYWORD.toUpperCase()} tonight!`,
      };
      break;
    case 'VARIABLE':
      text = {
        templateText: 'Hi {{name}}, your code is {{code}}.',
        variables: { name: 'Ann' },
        content: '',
      };
      break;
    case 'CONTENT':
      // A verification message may take at most 2 segments.
      draft.templateType = 'VERIFICATION';
      text = {
        templateText: '',
        variables: {},
        content: `Your code is 123456. ${'x'.repeat(320)}`,
      };
      break;
    case 'OTHER':
      draft.recipient = normalizePhone(
        `${FIXED_LINE_PREFIX}0${String(random.int(0, 999)).padStart(3, '0')}`,
        'simulated fixed-line phone',
      );
      break;
    default:
      break;
  }
  draft.text = text;
  draft.entries = entriesOf(text);
  // A refused message is never sent: nothing for a channel to report.
  if (problem !== 'NONE') draft.outcome = { kind: 'NOT_SUBMITTED' };
}

function finishDraft(draft: Draft): PlannedMessage {
  const { outcome } = draft;
  const hasReceipt = outcome.kind === 'DELIVERED' || outcome.kind === 'SEND_FAILED';
  return {
    ...draft,
    receiptBeforeSubmitted: hasReceipt && draft.receiptBeforeSubmitted,
    duplicateReceipt: hasReceipt && draft.duplicateReceipt,
    receiptWithoutEventId: hasReceipt && draft.receiptWithoutEventId,
    conflictingReceipt: outcome.kind === 'SEND_FAILED' && draft.conflictingReceipt,
  };
}

function planReplies(
  messages: readonly PlannedMessage[],
  round: number,
  random: SeededRandom,
  nextId: () => string,
): PlannedReply[] {
  const delivered = random.shuffle(messages.filter((m) => m.outcome.kind === 'DELIVERED'));
  const count = Math.min(
    delivered.length,
    Math.max(round === 0 ? 4 : 0, Math.round(delivered.length * 0.1)),
  );
  // Round 0 always has each unsubscribe spelling the issue names and a plain, duplicated reply.
  const forced: readonly { content: string; duplicate: boolean }[] =
    round === 0
      ? [
          { content: 'STOP', duplicate: false },
          { content: 'td', duplicate: false },
          { content: '退订', duplicate: false },
          { content: random.pick(PLAIN_TEXTS), duplicate: true },
        ]
      : [];
  return delivered.slice(0, count).map((message, n) => {
    const chosen = forced[n] ?? {
      content: random.chance(0.4) ? random.pick(UNSUBSCRIBE_TEXTS) : random.pick(PLAIN_TEXTS),
      duplicate: random.chance(0.1),
    };
    return {
      replyId: nextId(),
      round,
      answersMessageId: message.messageId,
      phone: message.recipient,
      content: chosen.content,
      keyword: (UNSUBSCRIBE_TEXTS as readonly string[]).includes(chosen.content)
        ? 'UNSUBSCRIBE'
        : 'NONE',
      naming: random.weighted<ReplyNaming>([
        ['MESSAGE', 40],
        ['ACCOUNT', 30],
        ['NONE', 30],
      ]),
      receivedAt: new Date(message.receiptTime.getTime() + random.int(5_000, 60_000)),
      duplicate: chosen.duplicate,
      channel: message.channel,
      operator: message.operator,
    };
  });
}
