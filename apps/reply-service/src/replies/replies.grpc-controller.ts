import { KeywordEffectsService } from '../keyword-effects/keyword-effects.service';
import { Controller } from '@nestjs/common';
import { fromTimestamp, replyV1, toTimestamp } from '@sms/contracts';
import type { AttributionKind } from '../attribution/attribution-plan';
import type { KeywordAction } from '../keywords/keyword-matcher';
import type { StoredReply } from './replies.repository';
import { RepliesService, type ReplyResultKind } from './replies.service';
import { ReplyWebhookRelay } from '../webhook-events/reply-webhook.relay';

const RESULT: Record<ReplyResultKind, replyV1.ReplyResult> = {
  APPLIED: replyV1.ReplyResult.REPLY_RESULT_APPLIED,
  DUPLICATE: replyV1.ReplyResult.REPLY_RESULT_DUPLICATE,
  REJECTED: replyV1.ReplyResult.REPLY_RESULT_REJECTED,
};

/** PENDING (status-tracker not asked yet) has no contract value: it is "unspecified" for now. */
const ATTRIBUTION: Record<AttributionKind, replyV1.Attribution> = {
  MESSAGE_ID: replyV1.Attribution.ATTRIBUTION_MESSAGE_ID,
  ACCOUNT_LATEST: replyV1.Attribution.ATTRIBUTION_ACCOUNT_LATEST,
  LATEST_MESSAGE: replyV1.Attribution.ATTRIBUTION_LATEST_MESSAGE,
  UNATTRIBUTED: replyV1.Attribution.ATTRIBUTION_UNATTRIBUTED,
  PENDING: replyV1.Attribution.ATTRIBUTION_UNSPECIFIED,
};

const KEYWORD_ACTION: Record<KeywordAction, replyV1.KeywordAction> = {
  NONE: replyV1.KeywordAction.KEYWORD_ACTION_NONE,
  UNSUBSCRIBE: replyV1.KeywordAction.KEYWORD_ACTION_UNSUBSCRIBE,
  RESUBSCRIBE: replyV1.KeywordAction.KEYWORD_ACTION_RESUBSCRIBE,
};

/** Maps the ReplyService contract to the use cases and back; nothing else. */
@Controller()
@replyV1.ReplyServiceControllerMethods()
export class RepliesGrpcController implements replyV1.ReplyServiceController {
  constructor(
    private readonly replies: RepliesService,
    private readonly effects: KeywordEffectsService,
    private readonly webhooks: ReplyWebhookRelay,
  ) {}

  async listDeadLetters(
    request: replyV1.ListDeadLettersRequest,
  ): Promise<replyV1.ListDeadLettersResponse> {
    if (request.kind === 'webhook_event') {
      return this.webhooks.listDeadLetters(request.pageSize, request.pageToken);
    }
    const page = await this.effects.listDeadLetters(request.pageSize, request.pageToken);
    return {
      deadLetters: page.effects.map((effect) => ({
        kind: 'keyword_effect',
        key: effect.replyId,
        accountId: effect.accountId,
        phone: effect.phone,
        error: effect.lastError ?? '',
        createdAt: toTimestamp(effect.createdAt),
        failedAt: effect.finishedAt ? toTimestamp(effect.finishedAt) : undefined,
        eventType: '',
      })),
      nextPageToken: page.nextPageToken,
    };
  }

  async recordReplies(
    request: replyV1.RecordRepliesRequest,
  ): Promise<replyV1.RecordRepliesResponse> {
    const outcomes = await this.replies.record(request.replies ?? []);
    return {
      outcomes: outcomes.map((outcome) => ({
        index: outcome.index,
        replyId: outcome.replyId,
        result: RESULT[outcome.result],
        reason: outcome.reason,
        attribution: outcome.attribution
          ? ATTRIBUTION[outcome.attribution]
          : replyV1.Attribution.ATTRIBUTION_UNSPECIFIED,
        keywordAction: outcome.keywordAction
          ? KEYWORD_ACTION[outcome.keywordAction]
          : replyV1.KeywordAction.KEYWORD_ACTION_UNSPECIFIED,
      })),
    };
  }

  async listReplies(request: replyV1.ListRepliesRequest): Promise<replyV1.ListRepliesResponse> {
    const page = await this.replies.list({
      accountId: request.accountId ?? '',
      asOperator: request.asOperator ?? false,
      phone: request.phone ?? '',
      templateId: request.templateId ?? '',
      label: request.label ?? '',
      from: fromTimestamp(request.from),
      to: fromTimestamp(request.to),
      messageId: request.messageId ?? '',
      pageSize: request.pageSize ?? 0,
      pageToken: request.pageToken ?? '',
    });
    return { replies: page.replies.map(toContractReply), nextPageToken: page.nextPageToken };
  }
}

function toContractReply(reply: StoredReply): replyV1.Reply {
  return {
    replyId: reply.replyId,
    phone: reply.phone,
    content: reply.content,
    receivedAt: toTimestamp(reply.receivedAt),
    operator: reply.operator,
    channel: reply.channel,
    accountId: reply.accountId ?? '',
    messageId: reply.messageId ?? '',
    templateId: reply.templateId ?? '',
    labels: [...reply.labels],
    smsUser: reply.smsUser ?? '',
    attribution: ATTRIBUTION[reply.attribution],
    keywordAction: KEYWORD_ACTION[reply.keywordAction],
  };
}
