// The console's Sending rules page in a real Chromium against the services as processes (set up
// as console.e2e-spec.ts does, with a small simulation for the accounts and console users): a
// customer manages its interception words and frequency limits, an operator the platform's and an
// account's; every change is checked against the REST API with API keys.
import type { Page } from 'playwright-core';
import { openConsoleSuite, type ConsoleSuite } from './console/console-suite';
import type { SimulationSummary } from './simulator-process';

interface RestWord {
  wordId: string;
  word: string;
  list: string;
}
interface RestWindow {
  windowSeconds: number;
  limit: number;
}
interface RestLimits {
  template: RestWindow[];
  account: RestWindow[];
  source: string;
  platformDefault: { template: RestWindow[]; account: RestWindow[]; source: string } | null;
}

describe('the Sending rules page in Chromium', () => {
  let suite: ConsoleSuite;
  let summary: SimulationSummary;
  let page: Page;

  const customer = () => summary.accounts[0];
  const otherAccount = () => summary.accounts[1];
  const api = (account: { authorization: string }) => suite.api(account);
  const consoleUrl = (path = '') => suite.consoleUrl(path);
  const shoot = (name: string) => suite.shoot(name);
  const signIn = (user: { email: string; password: string }) => suite.signIn(user);

  const wordsSection = () => page.getByTestId('interception-words');
  const listedWords = () =>
    wordsSection().locator('table tbody tr td:first-child').allTextContents();
  const notice = () => page.getByTestId('notice');

  /** The sentences of an "Applies now" list. */
  const sentences = (testId: string) => page.getByTestId(testId).locator('li').allTextContents();

  beforeAll(async () => {
    // Only the accounts, their console users and the operator are needed: a short run.
    suite = await openConsoleSuite({
      simulatorArgs: ['--messages', '30', '--accounts', '2', '--seed', '17'],
    });
    ({ summary, page } = suite);
  }, 240_000);

  afterAll(async () => {
    await suite?.close();
  });

  it('adds and removes a customer’s interception words, shown at once', async () => {
    await signIn(customer().consoleUser);
    // Reached from the navigation, like every page.
    await page.getByRole('link', { name: 'Sending rules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sending rules' }).waitFor();
    // The simulator gave each account a word of its own; the table lists the account's words.
    const before = (await api(customer()).all<RestWord>('/v1/interception-words')).map(
      (w) => w.word,
    );
    await wordsSection().locator('table').waitFor();
    expect((await listedWords()).sort()).toEqual([...before].sort());

    await page.getByLabel('Words to add').fill('casino\n贷款\n  casino  \n');
    await page.getByRole('button', { name: 'Add words' }).click();
    await wordsSection().getByRole('button', { name: 'Remove casino' }).waitFor();
    expect((await listedWords()).sort()).toEqual([...before, 'casino', '贷款'].sort());
    expect(await notice().textContent()).toContain('2 words added.');
    const mine = await api(customer()).all<RestWord>('/v1/interception-words');
    expect(mine.map((w) => w.word).sort()).toEqual([...before, 'casino', '贷款'].sort());
    // Another account's list is its own.
    expect(
      (await api(otherAccount()).all<RestWord>('/v1/interception-words')).map((w) => w.word),
    ).not.toContain('casino');
    await shoot('rules-customer');

    // Remove after confirming: the row goes without a reload.
    await wordsSection().getByRole('button', { name: 'Remove casino' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await wordsSection()
      .getByRole('button', { name: 'Remove casino' })
      .waitFor({ state: 'detached' });
    expect((await listedWords()).sort()).toEqual([...before, '贷款'].sort());
    expect(await notice().textContent()).toContain('“casino” removed.');
    const after = await api(customer()).all<RestWord>('/v1/interception-words');
    expect(after.map((w) => w.word).sort()).toEqual([...before, '贷款'].sort());
  });

  it('checks words before sending them and shows the API’s message when it refuses', async () => {
    // Nothing typed: said beside the box, nothing sent.
    await page.getByRole('button', { name: 'Add words' }).click();
    await wordsSection()
      .getByRole('alert')
      .filter({ hasText: 'Type at least one word.' })
      .waitFor();
    expect(await page.getByLabel('Words to add').getAttribute('aria-invalid')).toBe('true');

    // A word the interception service cannot match: its own sentence, as the API gives it.
    await page.getByLabel('Words to add').fill('---');
    await page.getByRole('button', { name: 'Add words' }).click();
    const shown = await page.getByTestId('words-error').textContent();
    const refused = await fetch(`${suite.system.gatewayUrl}/v1/interception-words`, {
      method: 'POST',
      headers: { authorization: customer().authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ words: ['---'] }),
    });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { message: string };
    expect(shown).toBe(body.message);
    expect(shown).toMatch(/letter or digit/);
    expect((await api(customer()).all<RestWord>('/v1/interception-words')).length).toBe(2);
  });

  it('sets a customer’s own frequency limits beside the platform default and resets them', async () => {
    const limits = page.getByTestId('limits-own');
    const source = limits.getByTestId('limits-source');
    const defaults = await api(customer()).get<RestLimits>('/v1/frequency-limits');
    expect(defaults.source).not.toBe('account');
    expect(await source.textContent()).toContain('The platform default applies');
    await limits.getByRole('heading', { name: 'Platform default · Applies now' }).waitFor();
    expect(await sentences('limits-own-applies-template')).toHaveLength(defaults.template.length);

    const editor = limits.getByRole('form', { name: 'Set your own limits' });
    const sameTemplate = editor.getByRole('group', { name: 'Same number, same template' });
    // A limit of 0: refused beside the field, as the API would, and the field gets the focus.
    await sameTemplate.getByLabel('At most').first().fill('0');
    await editor.getByRole('button', { name: 'Save limits' }).click();
    await editor.getByText('At most: Must be at least 1.').waitFor();
    await page.waitForFunction('document.activeElement?.id === "limits-own-template-0-limit"');
    expect((await api(customer()).get<RestLimits>('/v1/frequency-limits')).source).toBe(
      defaults.source,
    );

    // 3 in any 2 hours instead of the default's first window.
    await sameTemplate.getByLabel('At most').first().fill('3');
    await sameTemplate.getByLabel('messages within').first().fill('2');
    await sameTemplate.getByLabel('Unit').first().selectOption('hours');
    await editor.getByRole('button', { name: 'Save limits' }).click();
    await source.filter({ hasText: 'Your account’s own limits apply' }).waitFor();
    expect(await notice().textContent()).toContain('Limits saved.');
    expect(await sentences('limits-own-applies-template')).toContain(
      'At most 3 messages in any 2 hours to the same number with the same template',
    );
    const own = await api(customer()).get<RestLimits>('/v1/frequency-limits');
    expect(own.source).toBe('account');
    expect(own.template).toContainEqual({ windowSeconds: 7200, limit: 3 });
    expect(own.account).toEqual(defaults.account);
    // Beside its own limits, the platform default it would go back to (the API's platformDefault).
    await limits.getByRole('heading', { name: 'The platform default, for comparison' }).waitFor();
    expect(await sentences('limits-own-default-template')).toHaveLength(defaults.template.length);
    expect(own.platformDefault?.template).toEqual(defaults.template);
    await shoot('rules-customer-limits');

    // Reset: the platform default applies again.
    await limits.getByRole('button', { name: 'Reset to the platform default' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Reset to the platform default' })
      .click();
    await source.filter({ hasText: 'The platform default applies' }).waitFor();
    expect(await api(customer()).get<RestLimits>('/v1/frequency-limits')).toMatchObject({
      source: defaults.source,
      template: defaults.template,
    });
  });

  it('keeps the operator view from a customer and lays the page out on a phone', async () => {
    await page.goto(consoleUrl('admin/sending-rules'));
    await page.getByTestId('forbidden').waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(consoleUrl('sending-rules'));
    await page.getByTestId('limits-own').waitFor();
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('lets an operator manage the platform words and default, and an account’s limits', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(summary.operator.consoleUser);
    await page.getByRole('link', { name: 'Sending rules' }).click();
    await page.getByRole('heading', { level: 2, name: 'Platform interception words' }).waitFor();

    await page.getByLabel('Words to add').fill('lottery');
    await page.getByRole('button', { name: 'Add words' }).click();
    await wordsSection().getByRole('button', { name: 'Remove lottery' }).waitFor();
    const platform = await api(summary.operator).all<RestWord>('/v1/admin/interception-words');
    expect(platform.map((w) => [w.word, w.list])).toEqual([['lottery', 'platform']]);
    // Not on any customer's own list.
    expect(
      (await api(customer()).all<RestWord>('/v1/interception-words')).map((w) => w.word),
    ).not.toContain('lottery');

    // The platform default, read from the API, as sentences.
    const platformLimits = page.getByTestId('limits-platform');
    const defaults = await api(summary.operator).get<RestLimits>('/v1/admin/frequency-limits');
    expect(await sentences('limits-platform-applies-account')).toHaveLength(
      defaults.account.length,
    );

    // One account's limits, picked by id: a new "any template" limit.
    await page.getByLabel('Account', { exact: true }).selectOption(otherAccount().accountId);
    await page.waitForURL((url) => url.searchParams.get('accountId') === otherAccount().accountId);
    const accountLimits = page.getByTestId('limits-account');
    await accountLimits
      .getByTestId('limits-source')
      .filter({ hasText: 'the account has no limits of its own' })
      .waitFor();
    const editor = accountLimits.getByRole('form', { name: 'Set the account’s own limits' });
    const anyTemplate = editor.getByRole('group', {
      name: 'Same number, any of the account’s templates',
    });
    await anyTemplate.getByRole('button', { name: 'Add a limit' }).click();
    await anyTemplate.getByLabel('At most').last().fill('50');
    await editor.getByRole('button', { name: 'Save limits' }).click();
    await accountLimits
      .getByTestId('limits-source')
      .filter({ hasText: 'The account’s own limits apply' })
      .waitFor();
    expect(await sentences('limits-account-applies-account')).toContain(
      'At most 50 messages per hour to the same number across all templates',
    );
    const theirs = await api(summary.operator).get<RestLimits>(
      `/v1/admin/frequency-limits/accounts/${otherAccount().accountId}`,
    );
    expect(theirs.source).toBe('account');
    expect(theirs.account).toContainEqual({ windowSeconds: 3600, limit: 50 });
    // The account's customer sees the same.
    expect(await api(otherAccount()).get<RestLimits>('/v1/frequency-limits')).toEqual(theirs);
    expect(await platformLimits.getByTestId('limits-source').textContent()).toContain(
      defaults.source === 'platform' ? 'Set by an operator' : 'configured default',
    );
    await shoot('rules-operator');

    // Reset the account and remove the platform word again.
    await accountLimits.getByRole('button', { name: 'Reset to the platform default' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Reset to the platform default' })
      .click();
    await accountLimits
      .getByTestId('limits-source')
      .filter({ hasText: 'the account has no limits of its own' })
      .waitFor();
    expect((await api(otherAccount()).get<RestLimits>('/v1/frequency-limits')).source).toBe(
      defaults.source,
    );
    await wordsSection().getByRole('button', { name: 'Remove lottery' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await wordsSection().getByText('No words yet').waitFor();
    expect(await api(summary.operator).all<RestWord>('/v1/admin/interception-words')).toEqual([]);
  });
});
