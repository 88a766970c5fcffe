import { commonV1, statusV1, toTimestamp } from '@sms/contracts';
import { MESSAGE_STATUSES, TEMPLATE_TYPES } from '@sms/domain-catalogue';
import { z } from 'zod';
import { ENUM_PREFIX, lowerWords, protoEnum } from '../transport/enum-words';
import {
  enumWordField,
  enumWordListField,
  fromBeforeTo,
  pagingFields,
  periodFields,
  phoneField,
  shortTextField,
} from '../transport/request-fields';
import { resolveReason } from './message-reason';

export const MESSAGE_STATUS_WORDS = lowerWords(MESSAGE_STATUSES);
export const TEMPLATE_TYPE_WORDS = lowerWords(TEMPLATE_TYPES);

/** Query parameters of GET /v1/messages (strict: anything else is a 400). */
export const listMessagesQueryShape = z.strictObject({
  phone: phoneField().optional().meta({ description: 'Recipient phone; normalised to E.164.' }),
  templateId: shortTextField().optional().meta({ description: 'Template id.' }),
  templateType: enumWordField(TEMPLATE_TYPE_WORDS)
    .optional()
    .meta({ description: 'Template type.' }),
  label: shortTextField().optional().meta({ description: 'Messages carrying this label.' }),
  smsUser: shortTextField().optional().meta({ description: 'The API user under the account.' }),
  status: enumWordListField(MESSAGE_STATUS_WORDS)
    .optional()
    .meta({
      description: `Message status, or several separated by commas (any of them): ${MESSAGE_STATUS_WORDS.join(', ')}.`,
      example: 'send_failed,process_failed',
    }),
  reasonCode: shortTextField(32).optional().meta({
    description:
      'A process-failed reason (global_block, …), a send-failure reason (empty, …) or a send-failure code (500..590). With status, the status the reason belongs to must be among those given; `other` needs exactly one of status process_failed or send_failed.',
  }),
  ...periodFields(),
  ...pagingFields(),
});

/** The checks across fields of every message filter (list, statistics). */
export function checkMessageFilters(
  query: {
    from?: Date | undefined;
    to?: Date | undefined;
    reasonCode?: string;
    status?: readonly string[];
  },
  context: z.RefinementCtx,
): void {
  fromBeforeTo(query, context);
  // Object refinements run even when a field failed (and kept its raw string): skip then.
  if (
    query.reasonCode !== undefined &&
    (query.status === undefined || Array.isArray(query.status))
  ) {
    const resolved = resolveReason(query.reasonCode, query.status);
    if (!resolved.ok)
      context.addIssue({ code: 'custom', path: ['reasonCode'], message: resolved.problem });
  }
}

export const listMessagesQuery = listMessagesQueryShape.superRefine(checkMessageFilters);

export type ListMessagesQuery = z.output<typeof listMessagesQuery>;

/** GET /v1/messages/export: the list's filters, no paging (the export walks every page). */
export const exportMessagesQueryShape = listMessagesQueryShape.omit({
  pageSize: true,
  pageToken: true,
});
export const exportMessagesQuery = exportMessagesQueryShape.superRefine(checkMessageFilters);
export type ExportMessagesQuery = z.output<typeof exportMessagesQuery>;

export function toListMessagesRequest(
  accountId: string,
  query: ListMessagesQuery,
): statusV1.ListMessagesRequest {
  const reason =
    query.reasonCode === undefined ? undefined : resolveReason(query.reasonCode, query.status);
  const filter = reason?.ok ? reason.filter : undefined;
  return {
    accountId,
    phone: query.phone ?? '',
    templateId: query.templateId ?? '',
    templateType: query.templateType
      ? protoEnum<commonV1.TemplateType>(query.templateType, ENUM_PREFIX.templateType)
      : commonV1.TemplateType.TEMPLATE_TYPE_UNSPECIFIED,
    label: query.label ?? '',
    smsUser: query.smsUser ?? '',
    // One status travels in `status` (as before statuses existed), several in `statuses`.
    status:
      query.status?.length === 1
        ? protoEnum<statusV1.MessageStatus>(query.status[0], ENUM_PREFIX.messageStatus)
        : statusV1.MessageStatus.MESSAGE_STATUS_UNSPECIFIED,
    processFailedReason:
      filter?.kind === 'process_failed'
        ? protoEnum<commonV1.ProcessFailedReason>(filter.name, ENUM_PREFIX.processFailedReason)
        : commonV1.ProcessFailedReason.PROCESS_FAILED_REASON_UNSPECIFIED,
    sendFailureCode:
      filter?.kind === 'send_failed'
        ? protoEnum<commonV1.SendFailureCode>(filter.name, ENUM_PREFIX.sendFailureCode)
        : commonV1.SendFailureCode.SEND_FAILURE_CODE_UNSPECIFIED,
    from: query.from ? toTimestamp(query.from) : undefined,
    to: query.to ? toTimestamp(query.to) : undefined,
    pageSize: query.pageSize ?? 0,
    pageToken: query.pageToken ?? '',
    statuses:
      query.status && query.status.length > 1
        ? query.status.map((word) =>
            protoEnum<statusV1.MessageStatus>(word, ENUM_PREFIX.messageStatus),
          )
        : [],
  };
}
