// proto ⇄ domain for the admission RPCs.
import { commonV1, interceptionV1, type Timestamp } from '@sms/contracts';
import { TEMPLATE_TYPES, type TemplateTypeName } from '@sms/domain-catalogue';
import { checkResultToProto } from '../interception/proto-mapping';
import type { AdmitInput, AdmitOutcome } from './admission-result';

const TEMPLATE_TYPE_PREFIX = 'TEMPLATE_TYPE_';

/** undefined for UNSPECIFIED and unknown values: admission answers those OTHER, naming the field. */
function templateTypeFromProto(
  value: commonV1.TemplateType | number,
): TemplateTypeName | undefined {
  if (typeof value !== 'string' || !value.startsWith(TEMPLATE_TYPE_PREFIX)) return undefined;
  const name = value.slice(TEMPLATE_TYPE_PREFIX.length);
  return (TEMPLATE_TYPES as readonly string[]).includes(name)
    ? (name as TemplateTypeName)
    : undefined;
}

export function admitInputFromProto(message: interceptionV1.AdmitMessage | undefined): AdmitInput {
  return {
    phone: message?.phone ?? '',
    templateId: message?.templateId ?? '',
    templateType: templateTypeFromProto(
      message?.templateType ?? commonV1.TemplateType.TEMPLATE_TYPE_UNSPECIFIED,
    ),
    templateText: message?.templateText ?? '',
    variables: message?.variables ?? {},
    content: message?.content ?? '',
    labels: message?.labels ?? [],
  };
}

function timestamp(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/**
 * An outcome as the contract's object. The RPCs answer with admit-response.encoding.ts's bytes;
 * this mapping is what its test checks them against.
 */
export function admitOutcomeToProto(outcome: AdmitOutcome): interceptionV1.AdmitResult {
  // The blocking entry and unsubscribe map exactly as Check returns them.
  const block = checkResultToProto({
    phone: outcome.phone,
    verdict: 'ALLOW',
    entry: outcome.entry,
    unsubscribe: outcome.unsubscribe,
  });
  return {
    phone: outcome.phone,
    decision: outcome.reason
      ? interceptionV1.AdmitDecision.ADMIT_DECISION_PROCESS_FAILED
      : interceptionV1.AdmitDecision.ADMIT_DECISION_ALLOW,
    reason: outcome.reason
      ? (`PROCESS_FAILED_REASON_${outcome.reason}` as commonV1.ProcessFailedReason)
      : commonV1.ProcessFailedReason.PROCESS_FAILED_REASON_UNSPECIFIED,
    detail: outcome.detail,
    entries: outcome.entries,
    encoding: outcome.encoding
      ? (`MESSAGE_ENCODING_${outcome.encoding}` as interceptionV1.MessageEncoding)
      : interceptionV1.MessageEncoding.MESSAGE_ENCODING_UNSPECIFIED,
    entry: block.entry,
    unsubscribe: block.unsubscribe,
    word: outcome.word
      ? {
          word: outcome.word.word,
          list: `WORD_LIST_${outcome.word.list}` as interceptionV1.WordList,
          matchedText: outcome.word.matchedText,
        }
      : undefined,
    variable: outcome.variable ?? '',
    frequency: outcome.frequency
      ? {
          scope: outcome.frequency.scope,
          windowSeconds: outcome.frequency.seconds,
          limit: outcome.frequency.limit,
          retryAt: timestamp(outcome.frequency.retryAtMs),
        }
      : undefined,
  };
}
