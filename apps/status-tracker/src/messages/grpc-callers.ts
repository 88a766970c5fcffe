import type { statusV1 } from '@sms/contracts';
import type { GrpcCallerPolicy } from '@sms/platform-grpc';

/** Who may call each RPC (README "Security"). */
export const STATUS_CALLERS: GrpcCallerPolicy<statusV1.StatusServiceController> = {
  recordEvents: ['sender'],
  getMessage: ['gateway', 'reply-service'],
  getMessages: ['reply-service'],
  listMessages: ['gateway'],
  findLatestMessage: ['reply-service'],
  listDeadLetters: ['gateway'],
  getMessageStats: ['gateway'],
  operatorSearchMessages: ['gateway'],
  operatorGetMessage: ['gateway'],
};
