import {
  durationMs,
  portNumber,
  postgresUrl,
  redisUrl,
  schemaName,
  serviceBaseFields,
} from '@sms/platform-config';
import { z } from 'zod';

const grpcTarget = () =>
  z
    .string()
    .regex(/^(dns:\/\/\/)?[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port or dns:///host:port');

export const gatewayConfigSchema = z.object({
  ...serviceBaseFields(),
  DATABASE_URL: postgresUrl(),
  DATABASE_SCHEMA: schemaName().default('gateway'),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  /** Base of the hash-tagged key prefix: keys live under `{<base>:gateway}`. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -')
    .default('sms'),
  HTTP_PORT: portNumber().default(3000),
  STATUS_GRPC_TARGET: grpcTarget().default('127.0.0.1:50051'),
  INTERCEPTION_GRPC_TARGET: grpcTarget().default('127.0.0.1:50052'),
  REPLY_GRPC_TARGET: grpcTarget().default('127.0.0.1:50053'),
  /** Deadline of every call to a back-end service. */
  GRPC_DEADLINE_MS: durationMs().default(5000),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
