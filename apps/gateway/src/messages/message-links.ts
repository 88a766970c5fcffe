import { commonV1, interceptionV1, type statusV1 } from '@sms/contracts';
import { z } from 'zod';
import type { InterceptionClient, ReplyClient } from '../backends/backend-clients';
import { entryJson, toEntryJson, type EntryJson } from '../block-list/entry.json';
import { replyJson, toReplyJson, type ReplyJson } from '../replies/reply.json';
import { messageWithLogJson } from './message.json';

/** The replies a message's answer shows, newest first; the rest via GET /v1/replies?messageId=. */
export const LINKED_REPLIES = 20;

/** GET /v1/messages/{id}: the message, its send log and the records it is linked to. */
export const messageDetailJson = messageWithLogJson
  .extend({
    blockListEntry: entryJson.nullable().meta({
      description:
        'The block-list entry a send failure of this message created or renewed; null when none (or when it belongs to another account).',
    }),
    replies: z.array(replyJson).meta({
      description: `Replies attributed to this message, newest first, at most ${LINKED_REPLIES} (all of them: GET /v1/replies?messageId=…).`,
    }),
  })
  .meta({
    id: 'MessageDetail',
    description: 'A message with its send log and the records linked to it.',
  });

export type MessageDetailJson = z.infer<typeof messageDetailJson>;

export interface MessageLinks {
  readonly blockListEntry: EntryJson | null;
  readonly replies: ReplyJson[];
}

/**
 * The block-list entry and the replies of one message, looked up by its id in interception-service
 * and reply-service, under the caller's tenancy: a customer (`viewerAccountId`) sees only entries
 * it owns and its own replies; an operator (null) sees any entry and the message account's replies.
 */
export async function readMessageLinks(
  clients: { interception: InterceptionClient; replies: ReplyClient },
  message: statusV1.Message,
  viewerAccountId: string | null,
): Promise<MessageLinks> {
  const asOperator = viewerAccountId === null;
  const [entries, replies] = await Promise.all([
    clients.interception.listEntries({
      accountId: viewerAccountId ?? '',
      asOperator,
      phone: '',
      sendFailureCode: commonV1.SendFailureCode.SEND_FAILURE_CODE_UNSPECIFIED,
      source: interceptionV1.EntrySource.ENTRY_SOURCE_UNSPECIFIED,
      scope: interceptionV1.Scope.SCOPE_UNSPECIFIED,
      state: interceptionV1.EntryState.ENTRY_STATE_UNSPECIFIED,
      from: undefined,
      to: undefined,
      // Newest first: the entry the message's latest failure touched.
      pageSize: 1,
      pageToken: '',
      messageId: message.messageId,
    }),
    clients.replies.listReplies({
      // Replies attributed to a message carry its account.
      accountId: viewerAccountId ?? message.accountId,
      asOperator,
      phone: '',
      templateId: '',
      label: '',
      from: undefined,
      to: undefined,
      pageSize: LINKED_REPLIES,
      pageToken: '',
      messageId: message.messageId,
    }),
  ]);
  const entry = entries.entries[0];
  return {
    blockListEntry: entry ? toEntryJson(entry, viewerAccountId) : null,
    replies: replies.replies.map(toReplyJson),
  };
}
