import { interceptionV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { createTestStore, startTestApp, type TestApp, type TestStore } from './interception-app';

const { WordList } = interceptionV1;
const { WORD_LIST_PLATFORM: PLATFORM, WORD_LIST_ACCOUNT: ACCOUNT } = WordList;

describe('Interception-word lists over gRPC (real PostgreSQL)', () => {
  let store: TestStore;
  let service: TestApp;

  const stored = async (): Promise<unknown[]> =>
    (
      await store.sql.query(
        'select list, account_id, word, normalized from interception_word order by 1, 2, 3',
      )
    ).rows as unknown[];
  const add = (
    accountId: string,
    list: interceptionV1.WordList,
    words: string[],
    asOperator = false,
  ) => service.client.addInterceptionWords({ accountId, asOperator, list, words, actor: 'tester' });
  const list = (
    accountId: string,
    wordList: interceptionV1.WordList,
    asOperator = false,
    pageSize = 0,
    pageToken = '',
  ) =>
    service.client.listInterceptionWords({
      accountId,
      asOperator,
      list: wordList,
      pageSize,
      pageToken,
    });

  beforeAll(async () => {
    store = await createTestStore('interception-words');
    service = await startTestApp(store);
  });

  afterAll(async () => {
    await service?.close();
    await store?.drop();
  });

  it("adds to a customer's own list, once per normalised word", async () => {
    const first = await add('acc-a', ACCOUNT, ['Casino', ' lottery ']);
    expect(first.added).toBe(2);
    expect(first.words.map((w) => [w.word, w.list, w.accountId, w.createdBy])).toEqual(
      expect.arrayContaining([
        ['Casino', ACCOUNT, 'acc-a', 'tester'],
        ['lottery', ACCOUNT, 'acc-a', 'tester'],
      ]),
    );
    // Full-width and look-alike spellings are the same word: nothing new.
    const again = await add('acc-a', ACCOUNT, ['ＣＡＳＩＮＯ', 'c@sino', 'lottery']);
    expect(again.added).toBe(0);
    expect(again.words.map((w) => w.word).sort()).toEqual(['Casino', 'lottery']);
    // Another account's list is its own.
    expect((await add('acc-b', ACCOUNT, ['casino'])).added).toBe(1);
  });

  it("lists only the asking account's words, in pages", async () => {
    await add('acc-page', ACCOUNT, ['alpha1', 'bravo2', 'charlie3']);
    const first = await list('acc-page', ACCOUNT, false, 2);
    expect(first.words).toHaveLength(2);
    expect(first.nextPageToken).not.toBe('');
    const second = await list('acc-page', ACCOUNT, false, 2, first.nextPageToken);
    expect(second.words).toHaveLength(1);
    expect(second.nextPageToken).toBe('');
    expect([...first.words, ...second.words].map((w) => w.word).sort()).toEqual([
      'alpha1',
      'bravo2',
      'charlie3',
    ]);
    // A token is bound to its list: another account cannot page with it.
    await expect(list('acc-a', ACCOUNT, false, 2, first.nextPageToken)).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
    });
  });

  it('keeps the platform list to operators', async () => {
    const before = await stored();
    await expect(add('acc-a', PLATFORM, ['jackpot'])).rejects.toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      details: 'the platform interception-word list is managed by operators',
    });
    await expect(list('acc-a', PLATFORM)).rejects.toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
    });
    expect(await stored()).toEqual(before);
    const added = await add('', PLATFORM, ['jackpot'], true);
    expect(added.words[0]).toMatchObject({ word: 'jackpot', list: PLATFORM, accountId: '' });
    expect((await list('', PLATFORM, true)).words.map((w) => w.word)).toEqual(['jackpot']);
    // An operator may manage an account's list too.
    expect((await add('acc-c', ACCOUNT, ['coupon'], true)).added).toBe(1);
  });

  it("never removes another account's word", async () => {
    const { words } = await add('acc-owner', ACCOUNT, ['ownword']);
    const id = words[0].wordId;
    const other = await service.client.removeInterceptionWords({
      accountId: 'acc-thief',
      asOperator: false,
      list: ACCOUNT,
      wordIds: [id],
    });
    expect(other.removed).toBe(0);
    const platform = await service.client.removeInterceptionWords({
      accountId: '',
      asOperator: true,
      list: PLATFORM,
      wordIds: [id],
    });
    expect(platform.removed).toBe(0);
    expect((await list('acc-owner', ACCOUNT)).words.map((w) => w.word)).toEqual(['ownword']);
    const own = await service.client.removeInterceptionWords({
      accountId: 'acc-owner',
      asOperator: false,
      list: ACCOUNT,
      wordIds: [id],
    });
    expect(own.removed).toBe(1);
    expect((await list('acc-owner', ACCOUNT)).words).toEqual([]);
  });

  it.each([
    ['no list', { list: WordList.WORD_LIST_UNSPECIFIED }, 'list must be PLATFORM or ACCOUNT'],
    ['no account', { accountId: '' }, 'account_id is required'],
    ['no words', { words: [] }, 'words must have 1..1000 words'],
    [
      'too many words',
      { words: Array.from({ length: 1001 }, (_, i) => `w${i}x`) },
      'words must have 1..1000 words',
    ],
    ['an empty word', { words: ['ok1', '  '] }, 'words[1] must be 1..64 characters'],
    ['a word too long', { words: ['x'.repeat(65)] }, 'words[0] must be 1..64 characters'],
    [
      'a word with nothing to match',
      { words: ['!!!'] },
      'words[0] "!!!" has no letter or digit to match',
    ],
  ])('refuses %s and stores nothing', async (_, fields, details) => {
    const before = await stored();
    await expect(
      service.client.addInterceptionWords({
        accountId: 'acc-bad',
        asOperator: false,
        list: ACCOUNT,
        words: ['fine'],
        actor: '',
        ...fields,
      }),
    ).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details });
    expect(await stored()).toEqual(before);
  });

  it('refuses removing by a malformed id or none', async () => {
    await expect(
      service.client.removeInterceptionWords({
        accountId: 'acc-a',
        asOperator: false,
        list: ACCOUNT,
        wordIds: ['nope'],
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: 'word_ids[0] must be a UUID',
    });
    await expect(
      service.client.removeInterceptionWords({
        accountId: 'acc-a',
        asOperator: false,
        list: ACCOUNT,
        wordIds: [],
      }),
    ).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
  });
});
