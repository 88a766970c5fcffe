// The v1 gRPC contracts: generated types (never edited) plus what a process needs to load them.
export * as commonV1 from './generated/sms/common/v1/common';
export * as statusV1 from './generated/sms/status/v1/status_service';
export * as interceptionV1 from './generated/sms/interception/v1/interception_service';
export * as replyV1 from './generated/sms/reply/v1/reply_service';
export * as webhookV1 from './generated/sms/webhook/v1/webhook_service';
export type { Timestamp } from './generated/google/protobuf/timestamp';
export {
  GRPC_SERVICES,
  PROTO_LOADER_OPTIONS,
  PROTO_ROOT,
  type GrpcServiceSpec,
} from './proto-files';
export { fromTimestamp, toTimestamp } from './timestamp';
