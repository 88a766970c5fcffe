import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  GRPC_SERVICES,
  type interceptionV1,
  type replyV1,
  type statusV1,
  type webhookV1,
} from '@sms/contracts';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

export const STATUS_CLIENT = Symbol('STATUS_CLIENT');
export const INTERCEPTION_CLIENT = Symbol('INTERCEPTION_CLIENT');
export const REPLY_CLIENT = Symbol('REPLY_CLIENT');
export const WEBHOOK_CLIENT = Symbol('WEBHOOK_CLIENT');

export type StatusClient = GrpcClient<statusV1.StatusServiceClient>;
export type InterceptionClient = GrpcClient<interceptionV1.InterceptionServiceClient>;
export type ReplyClient = GrpcClient<replyV1.ReplyServiceClient>;
export type WebhookClient = GrpcClient<webhookV1.WebhookServiceClient>;

@Injectable()
class BackendClientsLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(STATUS_CLIENT) private readonly status: StatusClient,
    @Inject(INTERCEPTION_CLIENT) private readonly interception: InterceptionClient,
    @Inject(REPLY_CLIENT) private readonly reply: ReplyClient,
    @Inject(WEBHOOK_CLIENT) private readonly webhook: WebhookClient,
  ) {}

  onApplicationShutdown(): void {
    this.status.close();
    this.interception.close();
    this.reply.close();
    this.webhook.close();
  }
}

/** One gRPC client per back-end service; every call carries GRPC_DEADLINE_MS. */
@Module({
  providers: [
    {
      provide: STATUS_CLIENT,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig): StatusClient =>
        createGrpcClient(GRPC_SERVICES.status, {
          target: config.STATUS_GRPC_TARGET,
          deadlineMs: config.GRPC_DEADLINE_MS,
          tls: config,
          callerToken: config.GRPC_TOKEN_GATEWAY,
        }),
    },
    {
      provide: INTERCEPTION_CLIENT,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig): InterceptionClient =>
        createGrpcClient(GRPC_SERVICES.interception, {
          target: config.INTERCEPTION_GRPC_TARGET,
          deadlineMs: config.GRPC_DEADLINE_MS,
          tls: config,
          callerToken: config.GRPC_TOKEN_GATEWAY,
        }),
    },
    {
      provide: REPLY_CLIENT,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig): ReplyClient =>
        createGrpcClient(GRPC_SERVICES.reply, {
          target: config.REPLY_GRPC_TARGET,
          deadlineMs: config.GRPC_DEADLINE_MS,
          tls: config,
          callerToken: config.GRPC_TOKEN_GATEWAY,
        }),
    },
    {
      provide: WEBHOOK_CLIENT,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig): WebhookClient =>
        createGrpcClient(GRPC_SERVICES.webhook, {
          target: config.WEBHOOK_GRPC_TARGET,
          deadlineMs: config.GRPC_DEADLINE_MS,
          tls: config,
          callerToken: config.GRPC_TOKEN_GATEWAY,
        }),
    },
    BackendClientsLifecycle,
  ],
  exports: [STATUS_CLIENT, INTERCEPTION_CLIENT, REPLY_CLIENT, WEBHOOK_CLIENT],
})
export class BackendClientsModule {}
