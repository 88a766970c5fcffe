import { Controller } from '@nestjs/common';
import type { interceptionV1 } from '@sms/contracts';
import { grpcMethods, INTERCEPTION_SERVICE } from '../interception/grpc-methods';
import { InterceptionWebhookRelay } from './interception-webhook.relay';

type WebhookEventRpcs = Pick<interceptionV1.InterceptionServiceController, 'listDeadLetters'>;

/** The operators' list of webhook events the dispatcher refused for good: maps proto only. */
@Controller()
@grpcMethods(INTERCEPTION_SERVICE, ['listDeadLetters'])
export class WebhookEventsGrpcController implements WebhookEventRpcs {
  constructor(private readonly relay: InterceptionWebhookRelay) {}

  async listDeadLetters(
    request: interceptionV1.ListDeadLettersRequest,
  ): Promise<interceptionV1.ListDeadLettersResponse> {
    return this.relay.listDeadLetters(request.pageSize, request.pageToken);
  }
}
