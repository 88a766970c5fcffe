import { CodeCatalogue } from './send-failure-codes';
import {
  PROCESS_FAILED_REASON_DESCRIPTIONS,
  PROCESS_FAILED_REASONS_BY_PRECEDENCE,
  type ProcessFailedReasonName,
} from './statuses';

// The reason fields of a message as the REST `Message` resource and the `message.status` webhook
// show them: one definition, so the two never drift apart.

const catalogue = new CodeCatalogue();

/** Process-failed reasons as REST words (`global_block`). */
export const PROCESS_FAILED_REASON_WORDS: readonly string[] =
  PROCESS_FAILED_REASONS_BY_PRECEDENCE.map((name) => name.toLowerCase());

/** Send-failure reasons as REST words (`empty`), in code order. */
export const SEND_FAILURE_REASON_WORDS: readonly string[] = catalogue
  .all()
  .map((rule) => rule.name.toLowerCase());

export interface MessageReason {
  /** The process-failed reason word, else the send-failure reason word; null without a reason. */
  readonly reasonCode: string | null;
  /** The catalogue's description of that reason; null without one. */
  readonly reasonText: string | null;
  /** The send-failure code number (500..590); null without a known send failure. */
  readonly sendFailureCode: number | null;
}

/**
 * The reason fields of a message from its process-failed reason name (`GLOBAL_BLOCK`) and its
 * send failure, as a code number (590) or a name (`OTHER`).
 */
export function messageReason(
  processFailedReason: string | null,
  sendFailure: number | string | null,
): MessageReason {
  const rule =
    sendFailure === null
      ? undefined
      : typeof sendFailure === 'number'
        ? catalogue.isKnownCode(sendFailure)
          ? catalogue.ruleFor(sendFailure)
          : undefined
        : catalogue.ruleForName(sendFailure.toUpperCase());
  const sendWord =
    rule?.name.toLowerCase() ??
    (typeof sendFailure === 'string' ? sendFailure.toLowerCase() : null);
  if (processFailedReason) {
    return {
      reasonCode: processFailedReason.toLowerCase(),
      reasonText:
        PROCESS_FAILED_REASON_DESCRIPTIONS[
          processFailedReason.toUpperCase() as ProcessFailedReasonName
        ] ?? null,
      sendFailureCode: rule?.code ?? null,
    };
  }
  return {
    reasonCode: sendWord,
    reasonText: rule?.description ?? null,
    sendFailureCode: rule?.code ?? null,
  };
}
