import { startWorkspaceService, type WorkspaceService } from '@sms/testing';
import {
  startGatewayUnderTest,
  type GatewayUnderTest,
  type TestKey,
} from './support/gateway-under-test';

// The interception-word endpoints in front of the REAL interception-service process: each
// customer manages its own list only; the platform list is for operators.

type Word = { wordId: string; word: string; list: string; createdAt: string };
type PageJson = { data: Word[]; nextPageToken: string | null };

describe('interception words through the gateway (real interception-service)', () => {
  let interception: WorkspaceService;
  let gateway: GatewayUnderTest;
  let a: TestKey;
  let b: TestKey;
  let operator: TestKey;

  beforeAll(async () => {
    interception = await startWorkspaceService({
      app: 'interception-service',
      label: 'gw-words',
      grpcService: 'sms.interception.v1.InterceptionService',
    });
    gateway = await startGatewayUnderTest({ INTERCEPTION_GRPC_TARGET: interception.target });
    a = await gateway.newAccount('customer');
    b = await gateway.newAccount('customer');
    operator = await gateway.newAccount('operator');
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await interception?.stop();
  });

  const words = async (key: TestKey, path = '/v1/interception-words') =>
    ((await gateway.request(path, { key })).body as PageJson).data.map((w) => w.word).sort();

  it("adds, lists and removes a customer's own words; another customer sees none of them", async () => {
    const added = await gateway.request('/v1/interception-words', {
      key: a,
      method: 'POST',
      body: { words: ['Casino', 'ｃａｓｉｎｏ', '贷款'] },
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ added: 2 });
    expect((added.body as { data: Word[] }).data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ word: 'Casino', list: 'account' }),
        expect.objectContaining({ word: '贷款', list: 'account' }),
      ]),
    );
    expect(await words(a)).toEqual(['Casino', '贷款']);
    expect(await words(b)).toEqual([]);

    const casino = (added.body as { data: Word[] }).data.find((w) => w.word === 'Casino')!;
    // B cannot remove A's word: not on B's list, 404 as for an unknown id.
    const stolen = await gateway.request(`/v1/interception-words/${casino.wordId}`, {
      key: b,
      method: 'DELETE',
    });
    expect(stolen.status).toBe(404);
    expect(stolen.body).toMatchObject({ error: 'NOT_FOUND' });
    // Nor can an operator through the platform list.
    expect(
      (
        await gateway.request(`/v1/admin/interception-words/${casino.wordId}`, {
          key: operator,
          method: 'DELETE',
        })
      ).status,
    ).toBe(404);
    expect(await words(a)).toEqual(['Casino', '贷款']);
    const removed = await gateway.request(`/v1/interception-words/${casino.wordId}`, {
      key: a,
      method: 'DELETE',
    });
    expect(removed).toMatchObject({ status: 200, body: { wordId: casino.wordId, removed: true } });
    expect(await words(a)).toEqual(['贷款']);
  });

  it('keeps the platform list to operators', async () => {
    const denied = await gateway.request('/v1/admin/interception-words', {
      key: a,
      method: 'POST',
      body: { words: ['jackpot'] },
    });
    expect(denied.status).toBe(403);
    expect((await gateway.request('/v1/admin/interception-words', { key: a })).status).toBe(403);
    const added = await gateway.request('/v1/admin/interception-words', {
      key: operator,
      method: 'POST',
      body: { words: ['jackpot'] },
    });
    expect(added).toMatchObject({ status: 200, body: { added: 1 } });
    expect((added.body as { data: Word[] }).data[0]).toMatchObject({ list: 'platform' });
    expect(await words(operator, '/v1/admin/interception-words')).toEqual(['jackpot']);
    // Customers' own lists are untouched by it.
    expect(await words(b)).toEqual([]);
  });

  it.each([
    ['no words', { words: [] }, 'body field words: must have at least one word'],
    ['an empty word', { words: ['ok', ' '] }, 'body field words.1: must not be empty'],
    [
      'a word too long',
      { words: ['x'.repeat(65)] },
      'body field words.0: must be at most 64 characters',
    ],
    ['a word with nothing to match', { words: ['!!!'] }, 'has no letter or digit to match'],
    ['an unknown field', { words: ['ok'], list: 'platform' }, 'list'],
  ])('refuses %s with a 400 and stores nothing', async (_, body, message) => {
    const before = await words(b);
    const response = await gateway.request('/v1/interception-words', {
      key: b,
      method: 'POST',
      body,
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'INVALID_ARGUMENT' });
    expect((response.body as { message: string }).message).toContain(message);
    expect(await words(b)).toEqual(before);
  });

  it('pages with a token bound to the caller', async () => {
    await gateway.request('/v1/interception-words', {
      key: b,
      method: 'POST',
      body: { words: ['alpha1', 'bravo2', 'charlie3'] },
    });
    const first = (await gateway.request('/v1/interception-words?pageSize=2', { key: b }))
      .body as PageJson;
    expect(first.data).toHaveLength(2);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const reused = await gateway.request(
      `/v1/interception-words?pageSize=2&pageToken=${encodeURIComponent(first.nextPageToken!)}`,
      { key: a },
    );
    expect(reused.status).toBe(400);
  });
});
