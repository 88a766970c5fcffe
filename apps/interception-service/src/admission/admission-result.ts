import type { ProcessFailedReasonName, TemplateTypeName } from '@sms/domain-catalogue';
import type { MessageEncodingName } from '@sms/domain-sms-content';
import type { CheckedEntry, CheckedUnsubscribe } from '../checks/check-result';
import type { WordListName } from '../interception-words/interception-word.entity';
import type { FrequencyScope } from './frequency-limits';

/** One message as the sending service describes it (not yet validated). */
export interface AdmitInput {
  readonly phone: string;
  readonly templateId: string;
  /** undefined when not given. */
  readonly templateType: TemplateTypeName | undefined;
  readonly templateText: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly content: string;
  readonly labels: readonly string[];
}

export interface WordHit {
  readonly word: string;
  readonly list: WordListName;
  readonly matchedText: string;
}

export interface FrequencyHit {
  readonly scope: FrequencyScope;
  readonly seconds: number;
  readonly limit: number;
  readonly retryAtMs: number;
}

export interface AdmitOutcome {
  /** E.164, or the input when it is not a valid number. */
  readonly phone: string;
  /** null: ALLOW. */
  readonly reason: ProcessFailedReasonName | null;
  readonly detail: string;
  /** Segments of the rendered content; 0 when it could not be rendered. */
  readonly entries: number;
  readonly encoding: MessageEncodingName | null;
  readonly entry: CheckedEntry | null;
  readonly unsubscribe: CheckedUnsubscribe | null;
  readonly word: WordHit | null;
  readonly variable: string | null;
  readonly frequency: FrequencyHit | null;
}
