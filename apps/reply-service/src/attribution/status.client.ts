import type { Provider } from '@nestjs/common';
import { GRPC_SERVICES, type statusV1 } from '@sms/contracts';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { REPLY_CONFIG, type ReplyConfig } from '../config';

export const STATUS_CLIENT = Symbol('STATUS_CLIENT');
export type StatusClient = GrpcClient<statusV1.StatusServiceClient>;

/** status-tracker, with the configured deadline on every call; closed at shutdown. */
export const statusClientProvider: Provider = {
  provide: STATUS_CLIENT,
  inject: [REPLY_CONFIG],
  useFactory: (config: ReplyConfig): StatusClient =>
    createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
      target: config.STATUS_GRPC_TARGET,
      deadlineMs: config.GRPC_DEADLINE_MS,
      tls: config,
      callerToken: config.GRPC_TOKEN_REPLY_SERVICE,
    }),
};
