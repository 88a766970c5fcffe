import { z } from 'zod';
import { booleanFromString } from './fields';
import { developmentSecret } from './secrets';

/** The identities that may call a gRPC service of ours (README "Security"). */
export const GRPC_CALLERS = [
  'gateway',
  'status-tracker',
  'reply-service',
  'interception-service',
  'sender',
] as const;
export type GrpcCaller = (typeof GRPC_CALLERS)[number];

/** Variable holding each caller's token. */
export const GRPC_TOKEN_VARIABLES = {
  gateway: 'GRPC_TOKEN_GATEWAY',
  'status-tracker': 'GRPC_TOKEN_STATUS_TRACKER',
  'reply-service': 'GRPC_TOKEN_REPLY_SERVICE',
  'interception-service': 'GRPC_TOKEN_INTERCEPTION_SERVICE',
  sender: 'GRPC_TOKEN_SENDER',
} as const satisfies Record<GrpcCaller, string>;

/**
 * Development-only caller tokens: `npm start`, the tests and the simulator use them. A service
 * with NODE_ENV=production refuses to start with any of them (see developmentSecret).
 */
export const DEVELOPMENT_GRPC_TOKENS: Record<GrpcCaller, string> = {
  gateway: 'dev-only-grpc-token-of-the-gateway',
  'status-tracker': 'dev-only-grpc-token-of-status-tracker',
  'reply-service': 'dev-only-grpc-token-of-reply-service',
  'interception-service': 'dev-only-grpc-token-of-interception-service',
  sender: 'dev-only-grpc-token-of-the-sending-service',
};

const filePath = () => z.string().min(1, 'must be a file path').optional();

/**
 * TLS of gRPC servers and clients: on when configured, plaintext (development) otherwise.
 * GRPC_TLS_CERT + GRPC_TLS_KEY: the server's certificate; GRPC_TLS_CA: the CA clients verify
 * servers with (and servers verify client certificates with); GRPC_TLS_CLIENT_CERT +
 * GRPC_TLS_CLIENT_KEY: this service's client certificate (mTLS); GRPC_TLS_REQUIRE_CLIENT_CERT:
 * the server refuses clients without a certificate signed by GRPC_TLS_CA.
 */
export const grpcTlsFields = () => ({
  GRPC_TLS_CERT: filePath(),
  GRPC_TLS_KEY: filePath(),
  GRPC_TLS_CA: filePath(),
  GRPC_TLS_CLIENT_CERT: filePath(),
  GRPC_TLS_CLIENT_KEY: filePath(),
  GRPC_TLS_REQUIRE_CLIENT_CERT: booleanFromString().default(false),
});

/** The token fields of the given callers (a server: every caller it admits; a client: itself). */
export function grpcTokenFields<const K extends GrpcCaller>(
  callers: readonly K[],
): { [P in K as (typeof GRPC_TOKEN_VARIABLES)[P]]: ReturnType<typeof developmentSecret> } {
  return Object.fromEntries(
    callers.map((caller) => [
      GRPC_TOKEN_VARIABLES[caller],
      developmentSecret(DEVELOPMENT_GRPC_TOKENS[caller]),
    ]),
  ) as never;
}
