import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { GRPC_SERVICES, PROTO_LOADER_OPTIONS } from '@sms/contracts';
import type { CheckedEntry } from '../checks/check-result';
import { encodeAdmitBatchResponse, encodeAdmitResponse } from './admit-response.encoding';
import type { AdmitOutcome } from './admission-result';
import { admitOutcomeToProto } from './admission.proto-mapping';

// The hand encoder against the contract's own (protobufjs) encoding of the object mapping
// (admitOutcomeToProto, what the RPCs answered before): byte for byte once the fields proto3
// leaves out (zero numbers, empty strings, UNSPECIFIED enums; protobufjs writes them when the
// object has them) are taken out of the object, and decoded alike as it is.
const { interception } = GRPC_SERVICES;
const service = loadSync(interception.protoFile, PROTO_LOADER_OPTIONS)[
  `${interception.packageName}.${interception.serviceName}`
] as Record<string, MethodDefinition<unknown, unknown>>;
const contract = (rpc: string) => ({
  encode: (value: unknown) => service[rpc].responseSerialize(value),
  decode: (bytes: Buffer) => service[rpc].responseDeserialize(bytes),
});

/** The object without proto3's default scalars; nested messages stay (present, maybe empty). */
function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaults);
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || field === null || field === '' || field === 0) continue;
    if (typeof field === 'string' && field.endsWith('_UNSPECIFIED')) continue;
    kept[key] = withoutDefaults(field);
  }
  return kept;
}

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

const outcome = (overrides: Partial<AdmitOutcome>): AdmitOutcome => ({
  phone: '+447700900001',
  reason: null,
  detail: '',
  entries: 1,
  encoding: 'GSM7',
  entry: null,
  unsubscribe: null,
  word: null,
  variable: null,
  frequency: null,
  ...overrides,
});

const outcomes: [string, AdmitOutcome][] = [
  ['ALLOW, GSM-7', outcome({})],
  ['ALLOW, UCS-2, 3 segments', outcome({ entries: 3, encoding: 'UCS2' })],
  [
    'GLOBAL_BLOCK, no expiry',
    outcome({
      phone: '+447700900124',
      reason: 'GLOBAL_BLOCK',
      detail: 'number is on the global block list (entry e-1: manual) until deleted',
      entry: entry({
        scope: 'GLOBAL',
        ownerAccountId: null,
        source: 'MANUAL',
        sendFailureCode: null,
        expiresAtMs: null,
        messageId: '',
        detail: '',
      }),
    }),
  ],
  [
    'PARTIAL_BLOCK, long reason',
    outcome({
      reason: 'PARTIAL_BLOCK',
      detail: `number is on this account's block list (entry e-2: ${'r'.repeat(300)})`,
      entry: entry({ reason: 'r'.repeat(300), sendFailureCode: 999 }),
    }),
  ],
  [
    'UNSUBSCRIBE by reply',
    outcome({
      reason: 'UNSUBSCRIBE',
      detail: 'the recipient unsubscribed from this account on 2025-11-24T15:20:00.007Z (by reply)',
      unsubscribe: {
        accountId: 'acc-1',
        phone: '+447700900001',
        sinceMs: 1_764_000_000_007,
        source: 'REPLY',
        replyId: 'reply-9',
      },
    }),
  ],
  [
    'UNSUBSCRIBE through the API',
    outcome({
      reason: 'UNSUBSCRIBE',
      detail: 'the recipient unsubscribed … (through the API)',
      unsubscribe: {
        accountId: 'acc-1',
        phone: '+447700900001',
        sinceMs: 1_764_000_000_000,
        source: 'API',
        replyId: null,
      },
    }),
  ],
  [
    'KEYWORD_BLOCK, platform word written otherwise',
    outcome({
      reason: 'KEYWORD_BLOCK',
      detail: 'content contains the platform interception word "free money" (written "fr33 m0ney")',
      encoding: 'UCS2',
      entries: 2,
      word: { word: 'free money', list: 'PLATFORM', matchedText: 'fr33 m0ney' },
    }),
  ],
  [
    "KEYWORD_BLOCK, account's word in Chinese",
    outcome({
      reason: 'KEYWORD_BLOCK',
      detail: 'content contains the account\'s interception word "赌博"',
      encoding: 'UCS2',
      word: { word: '赌博', list: 'ACCOUNT', matchedText: '赌博' },
    }),
  ],
  [
    'VARIABLE_ERROR, nothing rendered',
    outcome({
      reason: 'VARIABLE_ERROR',
      detail: 'variable "code" is not supplied',
      entries: 0,
      encoding: null,
      variable: 'code',
    }),
  ],
  [
    'CONTENT_ERROR',
    outcome({
      reason: 'CONTENT_ERROR',
      detail: 'content takes 7 GSM-7 segments (1000 septets); NOTIFICATION allows at most 6',
      entries: 7,
    }),
  ],
  [
    'FREQUENCY_OVERRUN, template',
    outcome({
      reason: 'FREQUENCY_OVERRUN',
      detail: 'at most 1 message of template tpl-1 per minute to this number; …',
      frequency: { scope: 'TEMPLATE', seconds: 60, limit: 1, retryAtMs: 1_764_950_060_123 },
    }),
  ],
  [
    'FREQUENCY_OVERRUN, account, whole second',
    outcome({
      reason: 'FREQUENCY_OVERRUN',
      detail: 'at most 20 messages (any template) per day to this number; …',
      entries: 2,
      encoding: 'UCS2',
      frequency: { scope: 'ACCOUNT', seconds: 86_400, limit: 20, retryAtMs: 1_764_950_000_000 },
    }),
  ],
  [
    'OTHER, not a number',
    outcome({
      phone: 'not a phone',
      reason: 'OTHER',
      detail: 'phone "not a phone" is not a phone number',
      entries: 0,
      encoding: null,
    }),
  ],
  [
    'OTHER, no phone given',
    outcome({
      phone: '',
      reason: 'OTHER',
      detail: 'phone "" is empty',
      entries: 0,
      encoding: null,
    }),
  ],
];

describe('admission responses encoded by hand', () => {
  it.each(outcomes)('Admit, %s: the contract encoding, byte for byte', (_name, result) => {
    const admit = contract('Admit');
    const reference = { result: admitOutcomeToProto(result) };
    const bytes = encodeAdmitResponse(result);
    expect(bytes.toString('hex')).toBe(admit.encode(withoutDefaults(reference)).toString('hex'));
    expect(admit.decode(bytes)).toEqual(admit.decode(admit.encode(reference)));
  });

  it('AdmitBatch: every result in order, also past the first buffer size', () => {
    const batch = contract('AdmitBatch');
    const many = Array.from({ length: 1000 }, (_, i) => outcomes[i % outcomes.length][1]);
    const reference = { results: many.map(admitOutcomeToProto) };
    const bytes = encodeAdmitBatchResponse(many);
    expect(bytes.equals(batch.encode(withoutDefaults(reference)))).toBe(true);
    expect(batch.decode(bytes)).toEqual(batch.decode(batch.encode(reference)));
  });

  it('AdmitBatch of none: an empty response', () => {
    expect(encodeAdmitBatchResponse([])).toHaveLength(0);
    expect(contract('AdmitBatch').decode(encodeAdmitBatchResponse([]))).toEqual({ results: [] });
  });
});
