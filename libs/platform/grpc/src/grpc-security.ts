import { readFileSync } from 'node:fs';
import { hash, timingSafeEqual } from 'node:crypto';
import {
  credentials,
  ServerCredentials,
  type ChannelCredentials,
  type Metadata,
  type ServerUnaryCall,
} from '@grpc/grpc-js';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { PermissionDeniedError, UnauthenticatedError } from '@sms/errors';
import { GRPC_CALLERS, GRPC_TOKEN_VARIABLES, type GrpcCaller } from '@sms/platform-config';

export type { GrpcCaller };

/** File paths, as the GRPC_TLS_* variables give them. */
export interface GrpcTlsSettings {
  readonly GRPC_TLS_CERT?: string | undefined;
  readonly GRPC_TLS_KEY?: string | undefined;
  readonly GRPC_TLS_CA?: string | undefined;
  readonly GRPC_TLS_CLIENT_CERT?: string | undefined;
  readonly GRPC_TLS_CLIENT_KEY?: string | undefined;
  readonly GRPC_TLS_REQUIRE_CLIENT_CERT?: boolean | undefined;
}

/** The metadata key a caller's token travels in: `authorization: Bearer <token>`. */
export const CALLER_TOKEN_METADATA = 'authorization';

/** TLS when GRPC_TLS_CERT and GRPC_TLS_KEY are set (mTLS with a CA and required client certs). */
export function serverCredentials(tls: GrpcTlsSettings | undefined): ServerCredentials {
  if (!tls?.GRPC_TLS_CERT || !tls.GRPC_TLS_KEY) {
    if (tls?.GRPC_TLS_CERT || tls?.GRPC_TLS_KEY) {
      throw new Error('GRPC_TLS_CERT and GRPC_TLS_KEY must be set together');
    }
    return ServerCredentials.createInsecure();
  }
  const requireClientCert = tls.GRPC_TLS_REQUIRE_CLIENT_CERT === true;
  if (requireClientCert && !tls.GRPC_TLS_CA) {
    throw new Error('GRPC_TLS_REQUIRE_CLIENT_CERT needs GRPC_TLS_CA (the client certificates’ CA)');
  }
  return ServerCredentials.createSsl(
    tls.GRPC_TLS_CA ? readFileSync(tls.GRPC_TLS_CA) : null,
    [{ cert_chain: readFileSync(tls.GRPC_TLS_CERT), private_key: readFileSync(tls.GRPC_TLS_KEY) }],
    requireClientCert,
  );
}

/** TLS when GRPC_TLS_CA is set (verifying servers with it), with the client certificate if set. */
export function channelCredentials(tls: GrpcTlsSettings | undefined): ChannelCredentials {
  if (!tls?.GRPC_TLS_CA) return credentials.createInsecure();
  if (Boolean(tls.GRPC_TLS_CLIENT_CERT) !== Boolean(tls.GRPC_TLS_CLIENT_KEY)) {
    throw new Error('GRPC_TLS_CLIENT_CERT and GRPC_TLS_CLIENT_KEY must be set together');
  }
  return credentials.createSsl(
    readFileSync(tls.GRPC_TLS_CA),
    tls.GRPC_TLS_CLIENT_KEY ? readFileSync(tls.GRPC_TLS_CLIENT_KEY) : null,
    tls.GRPC_TLS_CLIENT_CERT ? readFileSync(tls.GRPC_TLS_CLIENT_CERT) : null,
  );
}

/**
 * Which callers may use each RPC of one service (controller method names, e.g. `checkBatch`).
 * Typed from the service's controller interface, so a new RPC does not compile until it says
 * who may call it. Extra names (RPCs still to come) may be listed too.
 */
export type GrpcCallerPolicy<Controller> = {
  readonly [Method in keyof Controller & string]: readonly GrpcCaller[];
} & Readonly<Record<string, readonly GrpcCaller[]>>;

/** The tokens of the callers a server admits, as its config holds them (GRPC_TOKEN_*). */
export function callerTokensFrom(
  config: Partial<Record<(typeof GRPC_TOKEN_VARIABLES)[GrpcCaller], string>>,
): Partial<Record<GrpcCaller, string>> {
  const tokens: Partial<Record<GrpcCaller, string>> = {};
  for (const caller of GRPC_CALLERS) {
    const token = config[GRPC_TOKEN_VARIABLES[caller]];
    if (token) tokens[caller] = token;
  }
  return tokens;
}

export interface GrpcCallerTrust {
  /** Token of each caller this server admits. */
  readonly tokens: Partial<Record<GrpcCaller, string>>;
  readonly policy: Readonly<Record<string, readonly GrpcCaller[]>>;
  /**
   * Client certificates are required and verified against GRPC_TLS_CA (mTLS): only then does a
   * certificate's common name identify a caller.
   */
  readonly clientCertificatesVerified?: boolean;
}

// One-shot (no Hash object): it runs on every call, Check's included.
const digest = (value: string) => hash('sha256', value, 'buffer');

/**
 * The one check of who calls a gRPC service: the caller is identified by its token (metadata
 * `authorization: Bearer <token>`) or, with mTLS, by the common name of its client certificate;
 * then the RPC's policy must list it. `as_operator` is honoured from the gateway only: it is the
 * one caller that authenticated an operator. No identity: UNAUTHENTICATED; not allowed:
 * PERMISSION_DENIED. The service's HTTP routes (health, metrics) are not gRPC and pass.
 */
@Injectable()
export class GrpcCallerGuard implements CanActivate {
  private readonly digests: readonly { caller: GrpcCaller; digest: Buffer }[];

  constructor(private readonly trust: GrpcCallerTrust) {
    this.digests = Object.entries(trust.tokens).map(([caller, token]) => ({
      caller: caller as GrpcCaller,
      digest: digest(token),
    }));
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc') return true;
    this.authorize(
      context.getHandler().name,
      context.switchToRpc().getContext<Metadata>(),
      context.getArgByIndex<ServerUnaryCall<unknown, unknown> | undefined>(2),
      context.switchToRpc().getData<unknown>(),
    );
    return true;
  }

  /** Throws UNAUTHENTICATED or PERMISSION_DENIED unless the caller may call `method`. */
  authorize(
    method: string,
    metadata: Metadata | undefined,
    call: ServerUnaryCall<unknown, unknown> | undefined,
    data: unknown,
  ): void {
    const caller = this.identify(metadata, call);
    const allowed = Object.prototype.hasOwnProperty.call(this.trust.policy, method)
      ? this.trust.policy[method]
      : [];
    if (!allowed.includes(caller)) {
      throw new PermissionDeniedError(`caller ${caller} may not call ${method}`);
    }
    const request = data as { asOperator?: unknown } | undefined;
    if (request?.asOperator === true && caller !== 'gateway') {
      throw new PermissionDeniedError(
        `as_operator is honoured from the gateway only, not ${caller}`,
      );
    }
  }

  private identify(
    metadata: Metadata | undefined,
    call: ServerUnaryCall<unknown, unknown> | undefined,
  ): GrpcCaller {
    const header = metadata?.get(CALLER_TOKEN_METADATA)[0];
    if (typeof header === 'string' && header.startsWith('Bearer ')) {
      const presented = digest(header.slice('Bearer '.length));
      // Every token is compared (constant time each), so timing tells nothing about which.
      let found: GrpcCaller | undefined;
      for (const { caller, digest: known } of this.digests) {
        if (timingSafeEqual(presented, known)) found = caller;
      }
      if (found) return found;
      throw new UnauthenticatedError('unknown caller token');
    }
    const commonName = this.trust.clientCertificatesVerified
      ? call?.getAuthContext?.()?.sslPeerCertificate?.subject?.CN
      : undefined;
    const fromCertificate = GRPC_CALLERS.find((caller) => caller === commonName);
    if (fromCertificate) return fromCertificate;
    throw new UnauthenticatedError(
      'no caller identity: send metadata authorization: Bearer <token> or a client certificate',
    );
  }
}
