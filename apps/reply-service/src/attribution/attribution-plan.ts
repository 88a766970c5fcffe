/** How a reply got its account and message. PENDING: status-tracker could not be asked yet. */
export type AttributionKind =
  'MESSAGE_ID' | 'ACCOUNT_LATEST' | 'LATEST_MESSAGE' | 'UNATTRIBUTED' | 'PENDING';

/** What a reply needs attributed: the replier, the time, and what the channel knew. */
export interface AttributionCandidate {
  readonly phone: string;
  readonly receivedAt: Date;
  readonly channelAccountId: string | undefined;
  readonly channelMessageId: string | undefined;
}

/** The parts of a status-tracker message a reply copies. */
export interface AnsweredMessage {
  readonly messageId: string;
  readonly accountId: string;
  readonly recipient: string;
  readonly templateId: string;
  readonly labels: readonly string[];
  readonly smsUser: string;
}

export interface Attribution {
  readonly kind: AttributionKind;
  /** Null when no account is known: only operators see the reply. */
  readonly accountId: string | null;
  readonly messageId: string | null;
  readonly templateId: string | null;
  readonly labels: readonly string[];
  readonly smsUser: string | null;
}

/** One GetMessage question: only when the channel named both the account and the message. */
export interface MessageByIdKey {
  readonly accountId: string;
  readonly messageId: string;
}

/** One FindLatestMessage lookup. accountId '' = any account; messageId '' = any message. */
export interface LatestLookup {
  readonly phone: string;
  readonly accountId: string;
  readonly at: Date;
  readonly messageId: string;
}

export function messageByIdKey(candidate: AttributionCandidate): string | undefined {
  if (!candidate.channelAccountId || !candidate.channelMessageId) return undefined;
  return `${candidate.channelAccountId}\u0000${candidate.channelMessageId}`;
}

export function latestLookupKey(lookup: LatestLookup): string {
  return `${lookup.phone}\u0000${lookup.accountId}\u0000${lookup.at.getTime()}\u0000${lookup.messageId}`;
}

/**
 * The FindLatestMessage lookup a candidate needs, given what GetMessage answered for it
 * (`undefined` when it was not asked, `null` when the message was not found): a named account
 * restricts the lookup to that account; a message named without an account restricts it to that
 * message (found only if it went to this phone within the window); otherwise any message.
 */
export function latestLookupFor(
  candidate: AttributionCandidate,
  byId: AnsweredMessage | null | undefined,
): LatestLookup | undefined {
  if (byId && byId.recipient === candidate.phone) return undefined;
  return {
    phone: candidate.phone,
    accountId: candidate.channelAccountId ?? '',
    at: candidate.receivedAt,
    messageId: candidate.channelAccountId ? '' : (candidate.channelMessageId ?? ''),
  };
}

/**
 * The attribution rules (notes/issue-5.md):
 * - the channel's account always wins: a message of another account is never used;
 * - account + message id: that message (GetMessage) if it went to this phone, else the account's
 *   latest message to the phone;
 * - account only: the account's latest message to the phone within 72 h;
 * - message id only: that message (looked up by id) if it went to this phone within 72 h; any
 *   other message could belong to another tenant, so otherwise the reply stays unattributed;
 * - nothing: the latest message to the phone within 72 h, any account;
 * - no message found: unattributed, keeping the channel's account when it named one.
 */
export function resolveAttribution(
  candidate: AttributionCandidate,
  byId: AnsweredMessage | null | undefined,
  latest: AnsweredMessage | null,
): Attribution {
  if (byId && byId.recipient === candidate.phone) return fromMessage('MESSAGE_ID', byId);
  if (candidate.channelAccountId) {
    if (latest && latest.accountId === candidate.channelAccountId) {
      return fromMessage('ACCOUNT_LATEST', latest);
    }
    return unattributed(candidate.channelAccountId);
  }
  if (candidate.channelMessageId) {
    return latest && latest.messageId === candidate.channelMessageId
      ? fromMessage('MESSAGE_ID', latest)
      : unattributed(null);
  }
  return latest ? fromMessage('LATEST_MESSAGE', latest) : unattributed(null);
}

/** status-tracker could not answer: keep what the channel said, attribute later. */
export function pendingAttribution(candidate: AttributionCandidate): Attribution {
  return { ...unattributed(candidate.channelAccountId ?? null), kind: 'PENDING' };
}

function fromMessage(kind: AttributionKind, message: AnsweredMessage): Attribution {
  return {
    kind,
    accountId: message.accountId,
    messageId: message.messageId,
    templateId: message.templateId || null,
    labels: message.labels,
    smsUser: message.smsUser || null,
  };
}

function unattributed(accountId: string | null): Attribution {
  return {
    kind: 'UNATTRIBUTED',
    accountId,
    messageId: null,
    templateId: null,
    labels: [],
    smsUser: null,
  };
}
