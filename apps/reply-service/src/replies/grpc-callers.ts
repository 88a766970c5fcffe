import type { replyV1 } from '@sms/contracts';
import type { GrpcCallerPolicy } from '@sms/platform-grpc';

/** Who may call each RPC (README "Security"). */
export const REPLY_CALLERS: GrpcCallerPolicy<replyV1.ReplyServiceController> = {
  recordReplies: ['sender'],
  listReplies: ['gateway'],
  listDeadLetters: ['gateway'],
};
