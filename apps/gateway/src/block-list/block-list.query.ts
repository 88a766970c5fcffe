import { commonV1, interceptionV1, toTimestamp } from '@sms/contracts';
import { z } from 'zod';
import { ENUM_PREFIX, protoEnum } from '../transport/enum-words';
import {
  DAY_MS,
  enumWordField,
  exampleTime,
  fromBeforeTo,
  idField,
  isoTimeField,
  pagingFields,
  periodFields,
  phoneField,
  shortTextField,
} from '../transport/request-fields';
import { SEND_FAILURE_REASON_WORDS, sendFailureCodeName } from '../messages/message-reason';

export const SCOPE_WORDS = ['global', 'local'] as const;
export const ENTRY_STATE_WORDS = ['active', 'expired', 'deleted'] as const;
export const ENTRY_SOURCE_WORDS = ['send_failure', 'manual'] as const;

/** `empty` or `500` → the proto enum name suffix `EMPTY`. */
const codeField = () =>
  shortTextField(32)
    .transform((value, context) => {
      const name = /^\d+$/.test(value)
        ? sendFailureCodeName(Number(value))
        : SEND_FAILURE_REASON_WORDS.includes(value)
          ? value.toUpperCase()
          : null;
      if (name) return name;
      context.addIssue({
        code: 'custom',
        message: `must be a send-failure reason (${SEND_FAILURE_REASON_WORDS.join(', ')}) or code (500, 510, …, 590)`,
      });
      return z.NEVER;
    })
    .meta({ description: 'Send-failure reason word (empty, …) or code (500..590).' });

const listEntriesFields = {
  phone: phoneField().optional().meta({ description: 'Phone; normalised to E.164.' }),
  reasonCode: codeField().optional(),
  scope: enumWordField(SCOPE_WORDS).optional().meta({ description: 'global or local.' }),
  state: enumWordField(ENTRY_STATE_WORDS).optional().meta({ description: 'Entry state.' }),
  source: enumWordField(ENTRY_SOURCE_WORDS).optional().meta({ description: 'Entry source.' }),
  messageId: idField()
    .optional()
    .meta({ description: 'Entries a send failure of this message created or renewed.' }),
  ...periodFields(),
  ...pagingFields(),
};

export const listEntriesQueryShape = z.strictObject(listEntriesFields);
export const listEntriesQuery = listEntriesQueryShape.superRefine(fromBeforeTo);
export type ListEntriesQuery = z.output<typeof listEntriesQuery>;

export const exportEntriesQueryShape = listEntriesQueryShape.omit({
  pageSize: true,
  pageToken: true,
});
export const exportEntriesQuery = exportEntriesQueryShape.superRefine(fromBeforeTo);
export type ExportEntriesQuery = z.output<typeof exportEntriesQuery>;

export const adminListEntriesQueryShape = z.strictObject({
  ...listEntriesFields,
  accountId: shortTextField()
    .optional()
    .meta({ description: 'Only entries owned by this account.' }),
});
export const adminListEntriesQuery = adminListEntriesQueryShape.superRefine(fromBeforeTo);
export type AdminListEntriesQuery = z.output<typeof adminListEntriesQuery>;

export const checkQueryShape = z.strictObject({
  phone: phoneField().meta({ description: 'The number to check; normalised to E.164.' }),
});
export type CheckQuery = z.output<typeof checkQueryShape>;

/** Body of POST /v1/block-list and POST /v1/admin/block-list. */
export const addEntryBody = z
  .strictObject({
    phone: phoneField(),
    reasonText: z
      .string({ error: 'must be a string' })
      .max(200, 'must be at most 200 characters')
      .optional()
      .meta({ description: 'Why the number is blocked (free text).' }),
    expiresAt: isoTimeField(exampleTime(30 * DAY_MS))
      .optional()
      .meta({ description: 'When the entry stops blocking; absent = until deleted.' }),
  })
  .superRefine((body, context) => {
    const expiresAt: unknown = body.expiresAt;
    if (expiresAt instanceof Date && expiresAt.getTime() <= Date.now()) {
      context.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be in the future' });
    }
  })
  .meta({ id: 'AddBlockListEntryRequest', description: 'A number to block by hand.' });
export type AddEntryBody = z.output<typeof addEntryBody>;

export function toListEntriesRequest(
  owner: { accountId: string; asOperator: boolean },
  query: ListEntriesQuery,
): interceptionV1.ListEntriesRequest {
  return {
    accountId: owner.accountId,
    asOperator: owner.asOperator,
    phone: query.phone ?? '',
    sendFailureCode: query.reasonCode
      ? protoEnum<commonV1.SendFailureCode>(query.reasonCode, ENUM_PREFIX.sendFailureCode)
      : commonV1.SendFailureCode.SEND_FAILURE_CODE_UNSPECIFIED,
    source: query.source
      ? protoEnum<interceptionV1.EntrySource>(query.source, ENUM_PREFIX.entrySource)
      : interceptionV1.EntrySource.ENTRY_SOURCE_UNSPECIFIED,
    scope: query.scope
      ? protoEnum<interceptionV1.Scope>(query.scope, ENUM_PREFIX.scope)
      : interceptionV1.Scope.SCOPE_UNSPECIFIED,
    state: query.state
      ? protoEnum<interceptionV1.EntryState>(query.state, ENUM_PREFIX.entryState)
      : interceptionV1.EntryState.ENTRY_STATE_UNSPECIFIED,
    from: query.from ? toTimestamp(query.from) : undefined,
    to: query.to ? toTimestamp(query.to) : undefined,
    pageSize: query.pageSize ?? 0,
    pageToken: query.pageToken ?? '',
    messageId: query.messageId ?? '',
  };
}
