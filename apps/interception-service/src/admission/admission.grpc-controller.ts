import { Controller } from '@nestjs/common';
import type { interceptionV1 } from '@sms/contracts';
import { directGrpcMethod, type EncodedMessage } from '@sms/platform-grpc';
import { INTERCEPTION_SERVICE } from '../interception/grpc-methods';
import { encodeAdmitBatchResponse, encodeAdmitResponse } from './admit-response.encoding';
import { InvalidAdmitRequestError } from './admission.errors';
import { admitInputFromProto } from './admission.proto-mapping';
import { AdmissionService, MAX_ADMIT_BATCH } from './admission.service';

type AdmissionRpc = 'admit' | 'admitBatch';

/** The admission RPCs as served here: the request in, the response's protobuf bytes out. */
type AdmissionRpcs = {
  [Rpc in AdmissionRpc]: (
    request: Parameters<interceptionV1.InterceptionServiceController[Rpc]>[0],
  ) => Promise<
    EncodedMessage<Awaited<ReturnType<interceptionV1.InterceptionServiceController[Rpc]>>>
  >;
};

/**
 * Admit and AdmitBatch: maps proto ⇄ domain, nothing else. Send-path RPCs like Check: served
 * straight from grpc-js (see directGrpcMethod; the caller guard, the gRPC metrics and the error
 * mapping still apply), answers encoded by hand (admit-response.encoding.ts).
 */
@Controller()
export class AdmissionGrpcController implements AdmissionRpcs {
  constructor(private readonly admission: AdmissionService) {}

  @directGrpcMethod(INTERCEPTION_SERVICE)
  async admit(
    request: interceptionV1.AdmitRequest,
  ): Promise<EncodedMessage<interceptionV1.AdmitResponse>> {
    const outcome = await this.admission.admit(
      request.accountId,
      admitInputFromProto(request.message),
    );
    return encodeAdmitResponse(outcome);
  }

  @directGrpcMethod(INTERCEPTION_SERVICE)
  async admitBatch(
    request: interceptionV1.AdmitBatchRequest,
  ): Promise<EncodedMessage<interceptionV1.AdmitBatchResponse>> {
    if (request.messages.length > MAX_ADMIT_BATCH) {
      throw new InvalidAdmitRequestError(
        `messages has ${request.messages.length} messages; at most ${MAX_ADMIT_BATCH} per call`,
      );
    }
    const outcomes = await this.admission.admitBatch(
      request.accountId,
      request.messages.map(admitInputFromProto),
    );
    return encodeAdmitBatchResponse(outcomes);
  }
}
