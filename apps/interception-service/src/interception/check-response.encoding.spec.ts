import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { GRPC_SERVICES, PROTO_LOADER_OPTIONS } from '@sms/contracts';
import type { CheckedEntry, CheckResult } from '../checks/check-result';
import { decideVerdict, type VerdictName } from '../checks/verdict';
import { decodeEntry, decodeUnsubscribe } from '../hot-index/index-codec';
import {
  encodeCheckBatchFromIndex,
  encodeCheckBatchResponse,
  encodeCheckBatchVerdictsResponse,
  encodeCheckResponse,
} from './check-response.encoding';
import { EncodedEntryCache } from './encoded-entry-cache';
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

describe('CheckBatch encoded straight from the index values, entries from the cache', () => {
  const NOW = 1_764_950_000_000;
  const ACCOUNT = 'acc-1';
  const indexed = (e: CheckedEntry, revision = 1) =>
    JSON.stringify({
      r: revision,
      i: e.entryId,
      o: e.ownerAccountId,
      s: e.source === 'MANUAL' ? 'M' : 'F',
      c: e.sendFailureCode,
      rs: e.reason,
      d: e.detail,
      m: e.messageId,
      a: e.interceptedAtMs,
      e: e.expiresAtMs,
      cr: e.createdAtMs,
      up: e.updatedAtMs,
    });
  const global = entry({ scope: 'GLOBAL', ownerAccountId: null, expiresAtMs: null });
  const expired = entry({ scope: 'GLOBAL', ownerAccountId: null, expiresAtMs: NOW });
  const local = entry();
  const unsubscribe = '{"r":2,"s":1764000000007,"src":"R","rid":"reply-9"}';
  // [phone, global, local, unsubscribe]
  const rows: [string, string | null, string | null, string | null][] = [
    ['+447700900001', null, null, null],
    ['+447700900002', indexed(global), indexed(local), unsubscribe],
    ['+447700900003', indexed(expired), indexed(local), null],
    ['+447700900004', '{"r":3,"x":"e-9"}', indexed(local), null],
    ['+447700900005', indexed(expired), null, unsubscribe],
    ['+447700900006', null, '{"r":5,"x":"e-8"}', '{"r":4}'],
    ['+447700900007', null, null, '{"r":2,"s":1764000000000,"src":"A","rid":null}'],
    [
      '+447700900008',
      indexed(entry({ reason: 'r'.repeat(300), detail: 'ü'.repeat(200) })),
      null,
      null,
    ],
  ];
  const phones = rows.map(([phone]) => phone);
  const values = rows.flatMap(([, g, l, u]) => [g, l, u]);

  /** What ChecksService answers from the same values (decoded, then decided). */
  const reference = (): CheckResult[] =>
    rows.map(([phone, g, l, u]) => ({
      phone,
      ...decideVerdict(
        {
          global: decodeEntry(g, phone, 'GLOBAL'),
          local: decodeEntry(l, phone, 'LOCAL'),
          unsubscribe: decodeUnsubscribe(u, phone, ACCOUNT),
        },
        NOW,
      ),
    }));

  it('gives the same bytes and verdicts as decoding, deciding and encoding, cached or not', () => {
    const cache = new EncodedEntryCache(1024 * 1024);
    const expected = encodeCheckBatchResponse(reference());
    for (let round = 0; round < 2; round += 1) {
      const verdicts: VerdictName[] = [];
      const bytes = encodeCheckBatchFromIndex(values, phones, ACCOUNT, NOW, cache, verdicts);
      expect(bytes.equals(expected)).toBe(true);
      expect(verdicts).toEqual(reference().map((result) => result.verdict));
    }
    // Blocking and expired entries are kept, tombstones are not.
    expect(cache.size).toBe(4);
    const batch = contract('CheckBatch');
    expect(batch.decode(expected)).toEqual(
      batch.decode(batch.encode({ results: reference().map(checkResultToProto) })),
    );
  });

  it('a changed entry is answered with its new text, not the cached encoding', () => {
    const cache = new EncodedEntryCache(1024 * 1024);
    const phone = ['+447700900002'];
    const first = encodeCheckBatchFromIndex(
      [indexed(global), null, null],
      phone,
      ACCOUNT,
      NOW,
      cache,
      [],
    );
    const changed = { ...global, reason: 'changed', updatedAtMs: global.updatedAtMs + 1 };
    const second = encodeCheckBatchFromIndex(
      [indexed(changed, 2), null, null],
      phone,
      ACCOUNT,
      NOW,
      cache,
      [],
    );
    const answer = (e: CheckedEntry) =>
      encodeCheckBatchResponse([
        {
          phone: phone[0],
          verdict: 'GLOBAL_BLOCK',
          entry: { ...e, phone: phone[0] },
          unsubscribe: null,
        },
      ]);
    expect(first.equals(answer(global))).toBe(true);
    expect(second.equals(answer(changed))).toBe(true);
  });

  it('a small budget only means fewer hits: the answer stays the same', () => {
    const cache = new EncodedEntryCache(1);
    const verdicts: VerdictName[] = [];
    expect(
      encodeCheckBatchFromIndex(values, phones, ACCOUNT, NOW, cache, verdicts).equals(
        encodeCheckBatchResponse(reference()),
      ),
    ).toBe(true);
    expect(cache.size).toBe(0);
  });
});
