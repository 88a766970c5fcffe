import type { Provider } from '@nestjs/common';
import { GRPC_SERVICES, type interceptionV1 } from '@sms/contracts';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { REPLY_CONFIG, type ReplyConfig } from '../config';

export const INTERCEPTION_CLIENT = Symbol('INTERCEPTION_CLIENT');
export type InterceptionClient = GrpcClient<interceptionV1.InterceptionServiceClient>;

/** interception-service, with the configured deadline on every call; closed at shutdown. */
export const interceptionClientProvider: Provider = {
  provide: INTERCEPTION_CLIENT,
  inject: [REPLY_CONFIG],
  useFactory: (config: ReplyConfig): InterceptionClient =>
    createGrpcClient<interceptionV1.InterceptionServiceClient>(GRPC_SERVICES.interception, {
      target: config.INTERCEPTION_GRPC_TARGET,
      deadlineMs: config.GRPC_DEADLINE_MS,
      tls: config,
      callerToken: config.GRPC_TOKEN_REPLY_SERVICE,
    }),
};
