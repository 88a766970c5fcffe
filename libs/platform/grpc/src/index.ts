export {
  createGrpcClient,
  type GrpcCallOptions,
  type GrpcClient,
  type GrpcClientOptions,
  type PromiseClient,
} from './grpc-client';
export { GrpcDomainErrorFilter, grpcErrorFor, grpcStatusFor } from './grpc-error.filter';
export { directGrpcMethod, type EncodedMessage } from './direct-grpc';
export {
  GrpcHealth,
  grpcServer,
  grpcServerOptions,
  type GrpcServerSecurity,
  type GrpcServerSettings,
} from './grpc-server';
export {
  CALLER_TOKEN_METADATA,
  callerTokensFrom,
  channelCredentials,
  GrpcCallerGuard,
  serverCredentials,
  type GrpcCaller,
  type GrpcCallerPolicy,
  type GrpcCallerTrust,
  type GrpcTlsSettings,
} from './grpc-security';
export { status as GrpcStatus } from '@grpc/grpc-js';
export { serveGrpc } from './serve-grpc';
