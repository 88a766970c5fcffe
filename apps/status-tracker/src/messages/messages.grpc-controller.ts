import { Controller } from '@nestjs/common';
import { fromTimestamp, GRPC_SERVICES, statusV1, toTimestamp, type commonV1 } from '@sms/contracts';
import { directGrpcMethod } from '@sms/platform-grpc';
import {
  bucketSizeEnum,
  processFailedReasonEnum,
  sendFailureCodeEnum,
  statusEnum,
  templateTypeEnum,
} from './message-enums';
import { FailureOutboxService } from '../outbox/failure-outbox.service';
import { StatusWebhookRelay } from '../webhook-events/status-webhook.relay';
import { MessageIngestService } from './message-ingest.service';
import { MessageQueryService, type MessageStats } from './message-query.service';
import { InvalidMessageQueryError } from './messages.errors';
import type { MessageState } from './message-state-machine';

/** StatusService over gRPC: maps the contract to the use cases and back, nothing else. */
@Controller()
@statusV1.StatusServiceControllerMethods()
export class MessagesGrpcController implements statusV1.StatusServiceController {
  constructor(
    private readonly ingest: MessageIngestService,
    private readonly queries: MessageQueryService,
    private readonly outbox: FailureOutboxService,
    private readonly webhookRelay: StatusWebhookRelay,
  ) {}

  async recordEvents(
    request: statusV1.RecordEventsRequest,
  ): Promise<statusV1.RecordEventsResponse> {
    const outcomes = await this.ingest.recordEvents(request.events);
    return {
      outcomes: outcomes.map((outcome) => ({
        index: outcome.index,
        messageId: outcome.messageId,
        result: `EVENT_RESULT_${outcome.result}` as statusV1.EventResult,
        reason: outcome.reason,
        status: (outcome.status
          ? statusEnum.toProto(outcome.status)
          : 'MESSAGE_STATUS_UNSPECIFIED') as statusV1.MessageStatus,
      })),
    };
  }

  async getMessage(request: statusV1.GetMessageRequest): Promise<statusV1.GetMessageResponse> {
    const message = await this.queries.getMessage(request.accountId, request.messageId);
    return { message: toProtoMessage(message, true) };
  }

  async getMessages(request: statusV1.GetMessagesRequest): Promise<statusV1.GetMessagesResponse> {
    const found = await this.queries.getMessages(request.refs);
    return {
      matches: found.map((message, index) => ({
        index,
        found: message !== undefined,
        message: message ? toProtoMessage(message, false) : undefined,
      })),
    };
  }

  // The two searches are served straight from grpc-js (directGrpcMethod: the caller guard, the
  // gRPC metrics and the error mapping still apply): Nest's per-call pipeline was ~10 % of the
  // service's CPU per ListMessages (bench/status/list-messages.ts, bench/README.md).
  @directGrpcMethod(GRPC_SERVICES.status.serviceName)
  listMessages(request: statusV1.ListMessagesRequest): Promise<statusV1.ListMessagesResponse> {
    return this.search(request, false);
  }

  // Not a handler itself: a handler's second argument is gRPC metadata (Nest) or the call (direct).
  private async search(
    request: statusV1.ListMessagesRequest,
    asOperator: boolean,
  ): Promise<statusV1.ListMessagesResponse> {
    const page = await this.queries.listMessages({
      accountId: request.accountId,
      phone: request.phone,
      templateId: request.templateId,
      templateType: templateTypeEnum.parse(request.templateType),
      label: request.label,
      smsUser: request.smsUser,
      status: statusEnum.parse(request.status),
      statuses: (request.statuses ?? []).map((value) => statusEnum.parse(value)),
      processFailedReason: processFailedReasonEnum.parse(request.processFailedReason),
      sendFailureCode: sendFailureCodeEnum.parse(request.sendFailureCode),
      from: fromTimestamp(request.from),
      to: fromTimestamp(request.to),
      pageSize: request.pageSize,
      pageToken: request.pageToken,
      asOperator,
    });
    return {
      messages: page.messages.map((message) => toProtoMessage(message, false)),
      nextPageToken: page.nextPageToken,
    };
  }

  async getMessageStats(
    request: statusV1.GetMessageStatsRequest,
  ): Promise<statusV1.GetMessageStatsResponse> {
    const stats = await this.queries.messageStats({
      accountId: request.accountId,
      phone: request.phone,
      templateId: request.templateId,
      templateType: templateTypeEnum.parse(request.templateType),
      label: request.label,
      smsUser: request.smsUser,
      status: statusEnum.parse(request.status),
      statuses: (request.statuses ?? []).map((value) => statusEnum.parse(value)),
      processFailedReason: processFailedReasonEnum.parse(request.processFailedReason),
      sendFailureCode: sendFailureCodeEnum.parse(request.sendFailureCode),
      from: fromTimestamp(request.from),
      to: fromTimestamp(request.to),
      bucketSize: bucketSizeEnum.parse(request.bucketSize),
    });
    return { buckets: stats.buckets.map(toProtoStats), total: toProtoStats(stats.total) };
  }

  @directGrpcMethod(GRPC_SERVICES.status.serviceName)
  async operatorSearchMessages(
    request: statusV1.OperatorSearchMessagesRequest,
  ): Promise<statusV1.OperatorSearchMessagesResponse> {
    if (!request.query) throw new InvalidMessageQueryError('query is required');
    return this.search(request.query, true);
  }

  async operatorGetMessage(
    request: statusV1.OperatorGetMessageRequest,
  ): Promise<statusV1.OperatorGetMessageResponse> {
    const message = await this.queries.getMessage('', request.messageId, true);
    return { message: toProtoMessage(message, true) };
  }

  async findLatestMessage(
    request: statusV1.FindLatestMessageRequest,
  ): Promise<statusV1.FindLatestMessageResponse> {
    const found = await this.queries.findLatestMessages(
      request.lookups.map((lookup) => ({
        phone: lookup.phone,
        accountId: lookup.accountId,
        at: fromTimestamp(lookup.at),
        messageId: lookup.messageId,
      })),
    );
    return {
      matches: found.map((message, index) => ({
        index,
        found: message !== undefined,
        message: message ? toProtoMessage(message, false) : undefined,
      })),
    };
  }

  async listDeadLetters(
    request: statusV1.ListDeadLettersRequest,
  ): Promise<statusV1.ListDeadLettersResponse> {
    if (request.kind === 'webhook_event') {
      return this.webhookRelay.listDeadLetters(request.pageSize, request.pageToken);
    }
    const page = await this.outbox.listDeadLetters(request.pageSize, request.pageToken);
    return {
      deadLetters: page.deadLetters.map((letter) => ({
        kind: 'record_failure',
        key: `${letter.messageId}/${letter.code}`,
        accountId: textOf(letter.request['accountId']),
        phone: textOf(letter.request['phone']),
        error: letter.error,
        createdAt: toTimestamp(letter.createdAt),
        failedAt: toTimestamp(letter.failedAt),
        eventType: '',
      })),
      nextPageToken: page.nextPageToken,
    };
  }
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function toProtoStats(stats: MessageStats): statusV1.MessageStatsBucket {
  return {
    start: toTimestamp(stats.start),
    messages: stats.messages,
    entries: stats.entries,
    statuses: [...stats.statuses]
      .sort(([a], [b]) => statusEnum.toDb(a) - statusEnum.toDb(b))
      .map(([status, messages]) => ({
        status: statusEnum.toProto(status) as statusV1.MessageStatus,
        messages,
      })),
    processFailedReasons: [...stats.processFailedReasons]
      .sort(([a], [b]) => processFailedReasonEnum.toDb(a) - processFailedReasonEnum.toDb(b))
      .map(([reason, messages]) => ({
        reason: processFailedReasonEnum.toProto(reason) as commonV1.ProcessFailedReason,
        messages,
      })),
    sendFailureCodes: [...stats.sendFailureCodes]
      .sort(([a], [b]) => a - b)
      .map(([code, messages]) => ({
        code: sendFailureCodeEnum.toProto(code) as commonV1.SendFailureCode,
        messages,
      })),
  };
}

function timestamp(date: Date | null): statusV1.Message['requestTime'] {
  return date ? toTimestamp(date) : undefined;
}

function toProtoMessage(message: MessageState, withSendLog: boolean): statusV1.Message {
  return {
    messageId: message.messageId,
    accountId: message.accountId,
    smsUser: message.smsUser,
    recipient: message.recipient,
    entries: message.entries,
    templateId: message.templateId,
    templateType: templateTypeEnum.toProto(message.templateType) as commonV1.TemplateType,
    labels: [...message.labels],
    channel: message.channel,
    operator: message.operator,
    status: statusEnum.toProto(message.status) as statusV1.MessageStatus,
    processFailedReason: (message.processFailedReason
      ? processFailedReasonEnum.toProto(message.processFailedReason)
      : 'PROCESS_FAILED_REASON_UNSPECIFIED') as commonV1.ProcessFailedReason,
    sendFailureCode: (message.sendFailureCode
      ? sendFailureCodeEnum.toProto(message.sendFailureCode)
      : 'SEND_FAILURE_CODE_UNSPECIFIED') as commonV1.SendFailureCode,
    reasonDetail: message.reasonDetail,
    requestTime: timestamp(message.requestTime),
    channelSendTime: timestamp(message.channelSendTime),
    receiptTime: timestamp(message.receiptTime),
    updateTime: timestamp(message.updateTime),
    sendLog: withSendLog
      ? message.sendLog.map((entry) => ({
          occurredAt: timestamp(entry.occurredAt),
          recordedAt: timestamp(entry.recordedAt),
          kind: `EVENT_KIND_${entry.kind}` as statusV1.EventKind,
          result: `EVENT_RESULT_${entry.result}` as statusV1.EventResult,
          detail: entry.detail,
          statusAfter: statusEnum.toProto(entry.statusAfter) as statusV1.MessageStatus,
        }))
      : [],
  };
}
