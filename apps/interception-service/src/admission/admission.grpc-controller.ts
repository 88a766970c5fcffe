import { Controller } from '@nestjs/common';
import type { interceptionV1 } from '@sms/contracts';
import { grpcMethods, INTERCEPTION_SERVICE } from '../interception/grpc-methods';
import { InvalidAdmitRequestError } from './admission.errors';
import { admitInputFromProto, admitOutcomeToProto } from './admission.proto-mapping';
import { AdmissionService, MAX_ADMIT_BATCH } from './admission.service';

type AdmissionRpcs = Pick<interceptionV1.InterceptionServiceController, 'admit' | 'admitBatch'>;

/** Admit and AdmitBatch: maps proto ⇄ domain, nothing else. */
@Controller()
@grpcMethods(INTERCEPTION_SERVICE, ['admit', 'admitBatch'])
export class AdmissionGrpcController implements AdmissionRpcs {
  constructor(private readonly admission: AdmissionService) {}

  async admit(request: interceptionV1.AdmitRequest): Promise<interceptionV1.AdmitResponse> {
    const outcome = await this.admission.admit(
      request.accountId,
      admitInputFromProto(request.message),
    );
    return { result: admitOutcomeToProto(outcome) };
  }

  async admitBatch(
    request: interceptionV1.AdmitBatchRequest,
  ): Promise<interceptionV1.AdmitBatchResponse> {
    if (request.messages.length > MAX_ADMIT_BATCH) {
      throw new InvalidAdmitRequestError(
        `messages has ${request.messages.length} messages; at most ${MAX_ADMIT_BATCH} per call`,
      );
    }
    const outcomes = await this.admission.admitBatch(
      request.accountId,
      request.messages.map(admitInputFromProto),
    );
    return { results: outcomes.map(admitOutcomeToProto) };
  }
}
