import type { interceptionV1 } from '@sms/contracts';
import type { GrpcCallerPolicy } from '@sms/platform-grpc';

/**
 * Who may call each RPC (README "Security"). The sending service checks and reports failures;
 * status-tracker hands over send failures; reply-service records keyword (un)subscriptions; the
 * gateway serves customers and operators (and alone may say as_operator).
 */
export const INTERCEPTION_CALLERS: GrpcCallerPolicy<interceptionV1.InterceptionServiceController> =
  {
    check: ['sender', 'gateway'],
    checkBatch: ['sender', 'gateway'],
    checkBatchVerdicts: ['sender'],
    recordFailure: ['sender', 'status-tracker'],
    addEntry: ['gateway'],
    getEntry: ['gateway'],
    listEntries: ['gateway'],
    deleteEntry: ['gateway'],
    addUnsubscribe: ['gateway', 'reply-service'],
    removeUnsubscribe: ['gateway', 'reply-service'],
    listUnsubscribes: ['gateway'],
    // Admission is the sending service's send path; the word lists are managed through the
    // gateway (customers their own list, operators the platform list).
    admit: ['sender'],
    admitBatch: ['sender'],
    listInterceptionWords: ['gateway'],
    addInterceptionWords: ['gateway'],
    removeInterceptionWords: ['gateway'],
    // Operators' dead-letter list (webhook events the dispatcher refused for good).
    listDeadLetters: ['gateway'],
    // Frequency limits through the gateway: customers their own account's, operators any and the default.
    getFrequencyLimits: ['gateway'],
    setFrequencyLimits: ['gateway'],
    resetFrequencyLimits: ['gateway'],
  };
