import {
  loadPackageDefinition,
  type ChannelCredentials,
  Metadata,
  type Client,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, type GrpcServiceSpec } from '@sms/contracts';
import type { Observable } from 'rxjs';
import { CALLER_TOKEN_METADATA, channelCredentials, type GrpcTlsSettings } from './grpc-security';

export interface GrpcCallOptions {
  readonly deadlineMs?: number;
  /** Extra metadata of this call (e.g. a W3C `traceparent` from a caller outside tracing). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A ts-proto `*ServiceClient` interface turned into promise-returning methods. */
export type PromiseClient<C> = {
  [K in keyof C]: C[K] extends (request: infer Req, ...rest: never[]) => Observable<infer Res>
    ? (request: Req, options?: GrpcCallOptions) => Promise<Res>
    : never;
};

export type GrpcClient<C> = PromiseClient<C> & { close(): void };

export interface GrpcClientOptions {
  /** e.g. `dns:///interception-service:50052` (every replica) or `127.0.0.1:50052`. */
  readonly target: string;
  /** Applied to every call that does not set its own. */
  readonly deadlineMs: number;
  readonly keepaliveMs?: number;
  /** TLS when GRPC_TLS_CA is set (client certificate for mTLS if set); plaintext otherwise. */
  readonly tls?: GrpcTlsSettings;
  /** This caller's token (GRPC_TOKEN_<ME>), sent with every call. */
  readonly callerToken?: string;
}

type UnaryMethod = (
  request: unknown,
  metadata: Metadata,
  options: { deadline: Date },
  callback: (error: ServiceError | null, response: unknown) => void,
) => void;

/**
 * A client for one contract service: every call carries a deadline, the channel keeps itself
 * alive and spreads calls over every address the target resolves to (round_robin).
 */
export function createGrpcClient<C>(
  spec: GrpcServiceSpec,
  options: GrpcClientOptions,
): GrpcClient<C> {
  const definition = loadSync(spec.protoFile, PROTO_LOADER_OPTIONS);
  const loaded = loadPackageDefinition(definition) as Record<string, unknown>;
  const ServiceClient = spec.packageName
    .split('.')
    .concat(spec.serviceName)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], loaded) as new (
    target: string,
    creds: ChannelCredentials,
    channelOptions: Record<string, unknown>,
  ) => Client & Record<string, UnaryMethod>;

  const client = new ServiceClient(options.target, channelCredentials(options.tls), {
    'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    'grpc.keepalive_time_ms': options.keepaliveMs ?? 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.keepalive_permit_without_calls': 1,
  });

  const methods = Object.keys(
    (ServiceClient as unknown as { service: Record<string, unknown> }).service,
  );
  const wrapped: Record<string, unknown> = { close: () => client.close() };
  for (const method of methods) {
    const camel = method.charAt(0).toLowerCase() + method.slice(1);
    const call: UnaryMethod = client[method].bind(client);
    wrapped[camel] = (request: unknown, callOptions?: GrpcCallOptions) =>
      new Promise((resolve, reject) => {
        const deadline = new Date(Date.now() + (callOptions?.deadlineMs ?? options.deadlineMs));
        const metadata = new Metadata();
        for (const [key, value] of Object.entries(callOptions?.metadata ?? {})) {
          metadata.set(key, value);
        }
        if (options.callerToken) {
          metadata.set(CALLER_TOKEN_METADATA, `Bearer ${options.callerToken}`);
        }
        call(request, metadata, { deadline }, (error, response) =>
          error ? reject(error) : resolve(response),
        );
      });
  }
  return wrapped as GrpcClient<C>;
}
