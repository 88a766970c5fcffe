export {
  createGrpcClient,
  type GrpcClient,
  type GrpcClientOptions,
  type PromiseClient,
} from './grpc-client';
export { GrpcDomainErrorFilter, grpcStatusFor } from './grpc-error.filter';
export { GrpcHealth, grpcServer, grpcServerOptions, type GrpcServerSettings } from './grpc-server';
export { status as GrpcStatus } from '@grpc/grpc-js';
export { serveGrpc } from './serve-grpc';
