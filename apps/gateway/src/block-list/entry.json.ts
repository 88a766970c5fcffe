import type { interceptionV1 } from '@sms/contracts';
import { z } from 'zod';
import { ENUM_PREFIX, enumWord } from '../transport/enum-words';
import { isoOrNull, textOrNull } from '../transport/json-values';
import { SEND_FAILURE_REASON_WORDS, sendFailureCodeNumber } from '../messages/message-reason';
import { toUnsubscribeJson, unsubscribeJson } from '../unsubscribes/unsubscribe.json';
import { ENTRY_SOURCE_WORDS, ENTRY_STATE_WORDS, SCOPE_WORDS } from './block-list.query';

const isoTime = () => z.string().meta({ format: 'date-time' });

export const entryJson = z
  .object({
    entryId: z.string(),
    phone: z.string().meta({ description: 'E.164' }),
    scope: z.enum(SCOPE_WORDS).nullable(),
    ownedByYou: z.boolean().meta({
      description: 'The entry is owned by the calling account (always false for operators).',
    }),
    ownerAccountId: z.string().nullable().meta({
      description:
        "Null when not owned by the caller (another customer's identity is never shown).",
    }),
    source: z.enum(ENTRY_SOURCE_WORDS).nullable(),
    reasonCode: z
      .enum(SEND_FAILURE_REASON_WORDS as [string, ...string[]])
      .nullable()
      .meta({ description: 'The send-failure reason as a stable word; null for manual entries.' }),
    reasonText: z.string().nullable().meta({
      description:
        "Why the number is blocked, in words: the code's meaning or the text given when adding it.",
    }),
    sendFailureCode: z
      .number()
      .int()
      .min(500)
      .max(590)
      .nullable()
      .meta({ description: 'Send-failure code 500..590; null for manual entries.' }),
    reasonDetail: z
      .string()
      .nullable()
      .meta({ description: "The operator's or channel's detail of the failure." }),
    messageId: z.string().nullable(),
    interceptedAt: isoTime().nullable(),
    expiresAt: isoTime().nullable().meta({ description: 'Null: until deleted.' }),
    state: z.enum(ENTRY_STATE_WORDS).nullable(),
    deletedBy: z.string().nullable(),
    deletedAt: isoTime().nullable(),
    createdAt: isoTime().nullable(),
    updatedAt: isoTime().nullable(),
  })
  .meta({ id: 'BlockListEntry', description: 'A block-list (interception) entry.' });
export type EntryJson = z.infer<typeof entryJson>;

/**
 * An entry as `viewerAccountId` may see it. A customer sees another customer's (global) entry
 * without anything that identifies that customer: owner, message, channel detail, deleter.
 * Operators (viewer null) see everything.
 */
export function toEntryJson(
  entry: interceptionV1.Entry,
  viewerAccountId: string | null,
): EntryJson {
  const owned = viewerAccountId !== null && entry.ownerAccountId === viewerAccountId;
  const reveal = viewerAccountId === null || owned;
  const code = enumWord(entry.sendFailureCode, ENUM_PREFIX.sendFailureCode);
  return {
    entryId: entry.entryId,
    phone: entry.phone,
    scope: enumWord(entry.scope, ENUM_PREFIX.scope) as EntryJson['scope'],
    ownedByYou: owned,
    ownerAccountId: reveal ? textOrNull(entry.ownerAccountId) : null,
    source: enumWord(entry.source, ENUM_PREFIX.entrySource) as EntryJson['source'],
    reasonCode: code,
    reasonText: textOrNull(entry.reason),
    sendFailureCode: code ? sendFailureCodeNumber(code.toUpperCase()) : null,
    reasonDetail: reveal ? textOrNull(entry.detail) : null,
    messageId: reveal ? textOrNull(entry.messageId) : null,
    interceptedAt: isoOrNull(entry.interceptedAt),
    expiresAt: isoOrNull(entry.expiresAt),
    state: enumWord(entry.state, ENUM_PREFIX.entryState) as EntryJson['state'],
    deletedBy: reveal ? textOrNull(entry.deletedBy) : null,
    deletedAt: isoOrNull(entry.deletedAt),
    createdAt: isoOrNull(entry.createdAt),
    updatedAt: isoOrNull(entry.updatedAt),
  };
}

export const VERDICT_WORDS = ['allow', 'global_block', 'partial_block', 'unsubscribe'] as const;

export const checkJson = z
  .object({
    phone: z.string().meta({ description: 'E.164' }),
    verdict: z.enum(VERDICT_WORDS).nullable(),
    entry: entryJson
      .nullable()
      .meta({ description: 'The blocking entry for global_block / partial_block.' }),
    unsubscribe: unsubscribeJson
      .nullable()
      .meta({ description: 'The unsubscribe record for unsubscribe.' }),
  })
  .meta({ id: 'BlockCheck', description: 'Whether a number may be sent to, and why not.' });
export type CheckJson = z.infer<typeof checkJson>;

export function toCheckJson(
  check: interceptionV1.CheckResponse,
  viewerAccountId: string,
): CheckJson {
  return {
    phone: check.phone,
    verdict: enumWord(check.verdict, ENUM_PREFIX.verdict) as CheckJson['verdict'],
    entry: check.entry ? toEntryJson(check.entry, viewerAccountId) : null,
    unsubscribe: check.unsubscribe ? toUnsubscribeJson(check.unsubscribe) : null,
  };
}
