import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { GRPC_SERVICES, PROTO_LOADER_OPTIONS } from '@sms/contracts';
import type { CheckedEntry, CheckResult } from '../checks/check-result';
import {
  encodeCheckBatchResponse,
  encodeCheckBatchVerdictsResponse,
  encodeCheckResponse,
} from './check-response.encoding';
import { checkResultToProto } from './proto-mapping';

// The hand encoder must say what the contract's own (protobufjs) encoding of the object mapping
// says: both are decoded by the contract's decoder and compared.
const { interception } = GRPC_SERVICES;
const service = loadSync(interception.protoFile, PROTO_LOADER_OPTIONS)[
  `${interception.packageName}.${interception.serviceName}`
] as Record<string, MethodDefinition<unknown, unknown>>;
const contract = (rpc: string) => ({
  encode: (value: unknown) => service[rpc].responseSerialize(value),
  decode: (bytes: Buffer) => service[rpc].responseDeserialize(bytes),
});

const entry = (overrides: Partial<CheckedEntry> = {}): CheckedEntry => ({
  entryId: '0b7c5d9e-2f43-4c1a-9d55-0c6b1f7e8a21',
  phone: '+447700900123',
  scope: 'LOCAL',
  ownerAccountId: 'acc-1',
  source: 'SEND_FAILURE',
  sendFailureCode: 510,
  reason: 'out of service',
  detail: 'carrier said: ünavailable ☎',
  messageId: 'msg-1',
  interceptedAtMs: 1_764_900_000_123,
  expiresAtMs: 1_764_986_400_000,
  createdAtMs: 1_764_900_000_456,
  updatedAtMs: 1_764_900_001_000,
  ...overrides,
});

const results: CheckResult[] = [
  { phone: '+447700900001', verdict: 'ALLOW', entry: null, unsubscribe: null },
  { phone: '+447700900123', verdict: 'PARTIAL_BLOCK', entry: entry(), unsubscribe: null },
  {
    phone: '+447700900124',
    verdict: 'GLOBAL_BLOCK',
    entry: entry({
      scope: 'GLOBAL',
      ownerAccountId: null,
      source: 'MANUAL',
      sendFailureCode: null,
      expiresAtMs: null,
      reason: 'r'.repeat(300),
      detail: '',
      messageId: '',
    }),
    unsubscribe: null,
  },
  {
    phone: '+447700900125',
    verdict: 'GLOBAL_BLOCK',
    entry: entry({ sendFailureCode: 999, interceptedAtMs: 1_764_900_000_000 }),
    unsubscribe: null,
  },
  {
    phone: '+447700900126',
    verdict: 'UNSUBSCRIBE',
    entry: null,
    unsubscribe: {
      accountId: 'acc-1',
      phone: '+447700900126',
      sinceMs: 1_764_000_000_007,
      source: 'REPLY',
      replyId: 'reply-9',
    },
  },
  {
    phone: '+447700900127',
    verdict: 'UNSUBSCRIBE',
    entry: null,
    unsubscribe: {
      accountId: 'acc-1',
      phone: '+447700900127',
      sinceMs: 1_764_000_000_000,
      source: 'API',
      replyId: null,
    },
  },
];

describe('check responses encoded by hand', () => {
  it.each(results.map((result) => [result.verdict, result] as const))(
    'Check %s decodes as the contract encodes it',
    (_verdict, result) => {
      const check = contract('Check');
      expect(check.decode(encodeCheckResponse(result))).toEqual(
        check.decode(check.encode(checkResultToProto(result))),
      );
    },
  );

  it('CheckBatch: every result in order, also past the first buffer size', () => {
    const batch = contract('CheckBatch');
    const many = Array.from({ length: 1000 }, (_, i) => results[i % results.length]);
    expect(batch.decode(encodeCheckBatchResponse(many))).toEqual(
      batch.decode(batch.encode({ results: many.map(checkResultToProto) })),
    );
    expect(batch.decode(encodeCheckBatchResponse([]))).toEqual({ results: [] });
  });

  it('CheckBatchVerdicts: phone and verdict of each', () => {
    const verdicts = contract('CheckBatchVerdicts');
    expect(verdicts.decode(encodeCheckBatchVerdictsResponse(results))).toEqual({
      verdicts: results.map((result) => ({
        phone: result.phone,
        verdict: `VERDICT_${result.verdict}`,
      })),
    });
  });
});
