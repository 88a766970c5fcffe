import { Controller } from '@nestjs/common';
import { interceptionV1 } from '@sms/contracts';
import { normalizePhone } from '@sms/domain-phone';
import { directGrpcMethod, type EncodedMessage } from '@sms/platform-grpc';
import { BlockListService } from '../block-list/block-list.service';
import { InvalidCheckRequestError } from '../checks/checks.errors';
import { ChecksService } from '../checks/checks.service';
import { CachedPhoneNormalizer } from '../checks/phone-normalizer';
import { UnsubscribesService } from '../unsubscribes/unsubscribes.service';
import { grpcMethods, INTERCEPTION_SERVICE } from './grpc-methods';
import { EncodedEntryCache } from './encoded-entry-cache';
import {
  encodeCheckBatchFromIndex,
  encodeCheckBatchResponse,
  encodeCheckBatchVerdictsResponse,
  encodeCheckResponse,
} from './check-response.encoding';
import {
  codeFromProto,
  dateFromProto,
  entryToProto,
  scopeFromProto,
  sourceFromProto,
  stateFromProto,
  unsubscribeSourceFromProto,
  unsubscribeToProto,
} from './proto-mapping';

export const MAX_BATCH = 1000;

/**
 * Admission, interception words, frequency limits and the webhook dead letters have controllers
 * of their own, in their feature folders.
 */
type BlockListRpcs = Omit<
  interceptionV1.InterceptionServiceController,
  | CheckRpc
  | 'admit'
  | 'admitBatch'
  | 'listInterceptionWords'
  | 'addInterceptionWords'
  | 'removeInterceptionWords'
  | 'listDeadLetters'
  | 'getFrequencyLimits'
  | 'setFrequencyLimits'
  | 'resetFrequencyLimits'
>;

/** The send path's RPCs: served straight from grpc-js with responses encoded by hand. */
type CheckRpc = 'check' | 'checkBatch' | 'checkBatchVerdicts';

/** The check RPCs as served here: the request in, the response's protobuf bytes out. */
type CheckRpcs = {
  [Rpc in CheckRpc]: (
    request: Parameters<interceptionV1.InterceptionServiceController[Rpc]>[0],
  ) => Promise<
    EncodedMessage<Awaited<ReturnType<interceptionV1.InterceptionServiceController[Rpc]>>>
  >;
};

// Every RPC of the type, by construction: a new block-list RPC does not compile until it is here.
const BLOCK_LIST_RPCS: Record<keyof BlockListRpcs, true> = {
  recordFailure: true,
  addEntry: true,
  getEntry: true,
  listEntries: true,
  deleteEntry: true,
  addUnsubscribe: true,
  removeUnsubscribe: true,
  listUnsubscribes: true,
};

/** The InterceptionService contract's block-list RPCs: maps proto ⇄ domain, nothing else. */
@Controller()
@grpcMethods(INTERCEPTION_SERVICE, Object.keys(BLOCK_LIST_RPCS))
export class InterceptionGrpcController implements BlockListRpcs, CheckRpcs {
  constructor(
    private readonly checks: ChecksService,
    private readonly blockList: BlockListService,
    private readonly unsubscribes: UnsubscribesService,
    private readonly phones: CachedPhoneNormalizer,
    private readonly entryCache: EncodedEntryCache,
  ) {}

  // Direct methods: no Nest pipeline per call (see directGrpcMethod); the caller guard, the gRPC
  // metrics and the error mapping still apply.

  @directGrpcMethod(INTERCEPTION_SERVICE)
  async check(
    request: interceptionV1.CheckRequest,
  ): Promise<EncodedMessage<interceptionV1.CheckResponse>> {
    const phone = this.phones.normalize(request.phone, 'phone');
    return encodeCheckResponse(await this.checks.check(request.accountId, phone));
  }

  @directGrpcMethod(INTERCEPTION_SERVICE)
  async checkBatch(
    request: interceptionV1.CheckBatchRequest,
  ): Promise<EncodedMessage<interceptionV1.CheckBatchResponse>> {
    const phones = this.batchPhones(request);
    return this.checks.checkBatchAnswer(request.accountId, phones, {
      fromIndex: (values, accountId, nowMs, verdicts) =>
        encodeCheckBatchFromIndex(values, phones, accountId, nowMs, this.entryCache, verdicts),
      fromResults: encodeCheckBatchResponse,
    });
  }

  @directGrpcMethod(INTERCEPTION_SERVICE)
  async checkBatchVerdicts(
    request: interceptionV1.CheckBatchVerdictsRequest,
  ): Promise<EncodedMessage<interceptionV1.CheckBatchVerdictsResponse>> {
    const verdicts = await this.checks.checkBatchVerdicts(
      request.accountId,
      this.batchPhones(request),
    );
    return encodeCheckBatchVerdictsResponse(verdicts);
  }

  private batchPhones(request: { readonly phones: readonly string[] }): string[] {
    if (request.phones.length > MAX_BATCH) {
      throw new InvalidCheckRequestError(
        `phones has ${request.phones.length} numbers; at most ${MAX_BATCH} per call`,
      );
    }
    return request.phones.map((phone, i) => this.phones.normalize(phone, `phones[${i}]`));
  }

  async recordFailure(
    request: interceptionV1.RecordFailureRequest,
  ): Promise<interceptionV1.RecordFailureResponse> {
    const { outcome, entry } = await this.blockList.recordFailure({
      accountId: request.accountId,
      phone: normalizePhone(request.phone, 'phone'),
      messageId: request.messageId,
      code: codeFromProto(request.code),
      detail: request.detail,
      occurredAt: dateFromProto(request.occurredAt, 'occurred_at'),
    });
    return {
      outcome: `FAILURE_OUTCOME_${outcome}` as interceptionV1.FailureOutcome,
      entry: entryToProto(entry),
    };
  }

  async addEntry(
    request: interceptionV1.AddEntryRequest,
  ): Promise<interceptionV1.AddEntryResponse> {
    const entry = await this.blockList.addEntry({
      viewer: { accountId: request.accountId, asOperator: request.asOperator },
      phone: normalizePhone(request.phone, 'phone'),
      scope: scopeFromProto(request.scope),
      reason: request.reason,
      expiresAt: dateFromProto(request.expiresAt, 'expires_at'),
      actor: request.actor,
    });
    return { entry: entryToProto(entry) };
  }

  async getEntry(
    request: interceptionV1.GetEntryRequest,
  ): Promise<interceptionV1.GetEntryResponse> {
    const entry = await this.blockList.getEntry(
      { accountId: request.accountId, asOperator: request.asOperator },
      request.entryId,
    );
    return { entry: entryToProto(entry) };
  }

  async listEntries(
    request: interceptionV1.ListEntriesRequest,
  ): Promise<interceptionV1.ListEntriesResponse> {
    const code = codeFromProto(request.sendFailureCode);
    const page = await this.blockList.listEntries({
      viewer: { accountId: request.accountId, asOperator: request.asOperator },
      phone: request.phone ? normalizePhone(request.phone, 'phone') : undefined,
      sendFailureCode: code === 0 ? undefined : code,
      source: sourceFromProto(request.source),
      scope: scopeFromProto(request.scope),
      state: stateFromProto(request.state),
      from: dateFromProto(request.from, 'from'),
      to: dateFromProto(request.to, 'to'),
      messageId: request.messageId,
      pageSize: request.pageSize,
      pageToken: request.pageToken,
    });
    return { entries: page.entries.map(entryToProto), nextPageToken: page.nextPageToken };
  }

  async deleteEntry(
    request: interceptionV1.DeleteEntryRequest,
  ): Promise<interceptionV1.DeleteEntryResponse> {
    const entry = await this.blockList.deleteEntry(
      { accountId: request.accountId, asOperator: request.asOperator },
      request.entryId,
      request.actor,
    );
    return { entry: entryToProto(entry) };
  }

  async addUnsubscribe(
    request: interceptionV1.AddUnsubscribeRequest,
  ): Promise<interceptionV1.AddUnsubscribeResponse> {
    const { record, created } = await this.unsubscribes.add({
      accountId: request.accountId,
      phone: normalizePhone(request.phone, 'phone'),
      source: unsubscribeSourceFromProto(request.source),
      replyId: request.replyId,
      occurredAt: dateFromProto(request.occurredAt, 'occurred_at'),
    });
    return { unsubscribe: record ? unsubscribeToProto(record) : undefined, created };
  }

  async removeUnsubscribe(
    request: interceptionV1.RemoveUnsubscribeRequest,
  ): Promise<interceptionV1.RemoveUnsubscribeResponse> {
    const removed = await this.unsubscribes.remove(
      request.accountId,
      normalizePhone(request.phone, 'phone'),
      dateFromProto(request.occurredAt, 'occurred_at'),
    );
    return { removed };
  }

  async listUnsubscribes(
    request: interceptionV1.ListUnsubscribesRequest,
  ): Promise<interceptionV1.ListUnsubscribesResponse> {
    const page = await this.unsubscribes.list(
      request.accountId,
      request.phone ? normalizePhone(request.phone, 'phone') : undefined,
      request.pageSize,
      request.pageToken,
    );
    return {
      unsubscribes: page.records.map(unsubscribeToProto),
      nextPageToken: page.nextPageToken,
    };
  }
}
