import { toTimestamp, type replyV1 } from '@sms/contracts';
import { z } from 'zod';
import {
  fromBeforeTo,
  idField,
  pagingFields,
  periodFields,
  phoneField,
  shortTextField,
} from '../transport/request-fields';

const replyFilterFields = {
  phone: phoneField().optional().meta({ description: 'Who replied; normalised to E.164.' }),
  templateId: shortTextField()
    .optional()
    .meta({ description: 'Template of the answered message.' }),
  label: shortTextField().optional().meta({ description: 'Label of the answered message.' }),
  messageId: idField().optional().meta({ description: 'Replies attributed to this message.' }),
  ...periodFields(),
  ...pagingFields(),
};

export const listRepliesQueryShape = z.strictObject(replyFilterFields);
export const listRepliesQuery = listRepliesQueryShape.superRefine(fromBeforeTo);
export type ListRepliesQuery = z.output<typeof listRepliesQuery>;

export const exportRepliesQueryShape = listRepliesQueryShape.omit({
  pageSize: true,
  pageToken: true,
});
export const exportRepliesQuery = exportRepliesQueryShape.superRefine(fromBeforeTo);
export type ExportRepliesQuery = z.output<typeof exportRepliesQuery>;

export const adminListRepliesQueryShape = z.strictObject({
  ...replyFilterFields,
  unattributed: z.enum(['true'], { error: 'must be true (or use accountId)' }).optional().meta({
    description: 'true: replies matched to no account. Exactly one of unattributed, accountId.',
  }),
  accountId: shortTextField().optional().meta({ description: 'Replies of this account.' }),
});
export const adminListRepliesQuery = adminListRepliesQueryShape.superRefine((query, context) => {
  fromBeforeTo(query, context);
  if ((query.unattributed === undefined) === (query.accountId === undefined)) {
    context.addIssue({
      code: 'custom',
      path: ['unattributed'],
      message: 'give exactly one of unattributed=true or accountId',
    });
  }
});
export type AdminListRepliesQuery = z.output<typeof adminListRepliesQuery>;

export function toListRepliesRequest(
  scope: { accountId: string; asOperator: boolean },
  query: ListRepliesQuery,
): replyV1.ListRepliesRequest {
  return {
    accountId: scope.accountId,
    asOperator: scope.asOperator,
    phone: query.phone ?? '',
    templateId: query.templateId ?? '',
    label: query.label ?? '',
    from: query.from ? toTimestamp(query.from) : undefined,
    to: query.to ? toTimestamp(query.to) : undefined,
    pageSize: query.pageSize ?? 0,
    pageToken: query.pageToken ?? '',
    messageId: query.messageId ?? '',
  };
}
