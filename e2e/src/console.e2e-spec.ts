// The web console in a real Chromium against the four services as processes, with simulator data:
// what a customer and an operator do in it, checked against the REST API with API keys.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { waitFor } from '@sms/testing';
import { openConsoleSuite, SCREENSHOTS, type ConsoleSuite } from './console/console-suite';
import type { Page as ApiPage } from './gateway-client';
import type { SimulationSummary } from './simulator-process';
import type { RunningSystem } from './system-under-test';

interface RestMessage {
  messageId: string;
  recipient: string;
  status: string;
  sendFailureCode: number | null;
  smsUser: string | null;
  templateId: string | null;
  templateType: string | null;
  labels: string[];
}
interface RestEntry {
  entryId: string;
  phone: string;
  scope: string;
  state: string;
  ownedByYou: boolean;
}
interface RestCheck {
  verdict: string;
  entry: RestEntry | null;
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('the web console in Chromium', () => {
  let suite: ConsoleSuite;
  let system: RunningSystem;
  let summary: SimulationSummary;
  let page: Page;

  const customerAccount = () => summary.accounts[0];
  const otherAccount = () => summary.accounts[1];
  const api = (account: { authorization: string }) => suite.api(account);
  const consoleUrl = (path = '') => suite.consoleUrl(path);
  const withLogs = <T>(work: () => Promise<T>): Promise<T> => suite.withLogs(work);
  const shoot = (name: string) => suite.shoot(name);

  /** The message ids the table shows, from the rows' links. */
  const listedMessageIds = async (base = 'messages'): Promise<string[]> =>
    page
      .locator(`table tbody tr td a[href*="/console/${base}/"]`)
      .evaluateAll((links) =>
        links.map((link) =>
          decodeURIComponent(
            (link as unknown as { pathname: string }).pathname.split('/').pop() ?? '',
          ),
        ),
      );

  const signIn = (user: { email: string; password: string }) => suite.signIn(user);

  const statuses = (p: Page) => p.getByRole('group', { name: 'Delivery status' });

  /** Nothing wider than the window: the page scrolls only vertically. */
  const expectNoOverflow = async (path: string) => {
    // Runs in the page (a string, since this file is compiled without the DOM library).
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect({ path, overflow }).toEqual({ path, overflow: 0 });
  };

  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the SMS console' }).waitFor();
  };

  beforeAll(async () => {
    suite = await openConsoleSuite({
      simulatorArgs: ['--messages', '240', '--accounts', '2', '--seed', '11'],
      acceptDownloads: true,
      // UI work: reuse a running system and its simulation ({ gatewayUrl, summary } as JSON).
      reuseFile: process.env['CONSOLE_E2E_REUSE'],
    });
    ({ system, summary, page } = suite);
  }, 240_000);

  afterAll(async () => {
    await suite?.close();
  });

  it('signs a customer in and shows the account and role in the header', async () => {
    await page.goto(consoleUrl());
    await page.getByRole('heading', { name: 'Sign in to the SMS console' }).waitFor();
    await shoot('sign-in');
    // A wrong password: the API's message is shown, the page stays.
    await page.getByLabel('Email').fill(customerAccount().consoleUser.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/\S/);

    await signIn(customerAccount().consoleUser);
    const who = await page.getByTestId('who').textContent();
    expect(who).toContain(customerAccount().accountId);
    expect(who).toContain('Customer');
    expect(who).toContain(customerAccount().consoleUser.email);
  });

  it('shows the overview with the account’s totals and the per-day chart', async () => {
    await page.goto(consoleUrl('overview?days=7'));
    await page.getByTestId('tile-sent').waitFor();
    const mine = summary.messages.filter((m) => m.accountId === customerAccount().accountId);
    const failed = mine.filter((m) => /FAILED/.test(m.expected.status)).length;
    const delivered = mine.filter((m) => m.expected.status === 'DELIVERED').length;
    expect(await page.getByTestId('tile-sent').textContent()).toBe(String(mine.length));
    expect(await page.getByTestId('tile-delivered').textContent()).toBe(String(delivered));
    expect(await page.getByTestId('tile-failed').textContent()).toBe(String(failed));
    // The chart drew its bars (recharts renders SVG rectangles per day).
    await page.locator('[data-testid="overview-chart"] .recharts-bar-rectangle').first().waitFor();
    // Its days are the browser's (Asia/Shanghai here), not UTC days: the last one is local
    // today, and the days add up to the totals.
    const days = await page
      .locator('[data-testid="chart-data"] tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          Array.from((row as unknown as { cells: { textContent: string }[] }).cells, (cell) =>
            cell.textContent.trim(),
          ),
        ),
      );
    const localToday = await page.evaluate(() =>
      new Date().toLocaleDateString('en-GB', { day: '2-digit', month: 'short' }),
    );
    expect(days.at(-1)?.[0]).toBe(localToday);
    expect(days).toHaveLength(8);
    const sum = (column: number) => days.reduce((total, day) => total + Number(day[column]), 0);
    expect([sum(1), sum(2), sum(3)]).toEqual([mine.length, delivered, failed]);
    await shoot('overview');
  });

  it('filters SMS Status by each filter and shows the rows the API lists', async () => {
    await withLogs(async () => {
      const client = api(customerAccount());
      const all = await client.all<RestMessage>('/v1/messages');
      const sample = all.find((m) => m.labels.length > 0 && m.smsUser && m.templateId)!;
      const failed = all.find((m) => m.status === 'send_failed')!;
      const cases: { fill: (p: Page) => Promise<void>; query: Record<string, string> }[] = [
        {
          fill: (p) => p.getByLabel('Mobile number').fill(sample.recipient.replace(/^\+/, '')),
          query: { phone: sample.recipient },
        },
        {
          fill: async (p) =>
            void (await p.getByLabel('Template type').selectOption(sample.templateType)),
          query: { templateType: sample.templateType! },
        },
        {
          fill: (p) => p.getByLabel('Template', { exact: true }).fill(sample.templateId!),
          query: { templateId: sample.templateId! },
        },
        {
          fill: (p) => p.getByLabel('Label').fill(sample.labels[0]),
          query: { label: sample.labels[0] },
        },
        {
          fill: (p) => p.getByLabel('SMS_USER').fill(sample.smsUser!),
          query: { smsUser: sample.smsUser! },
        },
        {
          fill: (p) => statuses(p).getByLabel('Delivered').check(),
          query: { status: 'delivered' },
        },
        {
          // Several statuses at once, as the API takes them.
          fill: async (p) => {
            await statuses(p).getByLabel('Send failed').check();
            await statuses(p).getByLabel('Process failed').check();
          },
          query: { status: 'process_failed,send_failed' },
        },
        {
          // A sub-category by name: the send-failure code under its status.
          fill: async (p) => {
            await statuses(p).getByLabel('Send failed').check();
            await p.getByLabel('Reason').selectOption(String(failed.sendFailureCode));
          },
          query: { status: 'send_failed', reasonCode: String(failed.sendFailureCode) },
        },
        {
          fill: async (p) => {
            const today = await p.evaluate(() => {
              const d = new Date();
              const pad = (n: number) => String(n).padStart(2, '0');
              return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
            });
            await p.getByLabel('From').fill(today);
          },
          query: {},
        },
      ];
      for (const { fill, query } of cases) {
        await page.goto(consoleUrl('messages'));
        await page.getByRole('search').waitFor();
        await fill(page);
        await page.getByRole('button', { name: 'Apply' }).click();
        await page.waitForURL((url) => url.search.length > 1);
        // The filter is in the URL, and the rows are exactly the API's first page for it.
        const url = new URL(page.url());
        for (const [key, value] of Object.entries(query)) {
          expect({ key, value: url.searchParams.get(key) }).toEqual({
            key,
            value: key === 'phone' ? value.replace(/^\+/, '') : value,
          });
        }
        const expected = await client.get<ApiPage<RestMessage>>('/v1/messages', {
          ...query,
          ...(url.searchParams.get('from')
            ? {
                from: await page.evaluate(
                  (day) => new Date(`${day}T00:00:00`).toISOString(),
                  url.searchParams.get('from')!,
                ),
              }
            : {}),
          pageSize: '50',
        });
        const ids = expected.data.map((m) => m.messageId);
        // The list refreshes after the URL changes: wait for it to settle on the API's rows.
        await waitFor(
          async () => JSON.stringify(await listedMessageIds()) === JSON.stringify(ids),
          {
            timeoutMs: 15_000,
            description: `the rows for ${JSON.stringify(query)}`,
          },
        ).catch(() => undefined);
        expect({ query, ids: await listedMessageIds() }).toEqual({
          query,
          ids: expected.data.map((m) => m.messageId),
        });
        expect(expected.data.length).toBeGreaterThan(0);
      }
      // A status count is a link to its list; the back button restores the previous filter.
      await page.goto(consoleUrl('messages?status=delivered'));
      await page.locator('table tbody tr').first().waitFor();
      await page.getByTestId('count-send_failed').click();
      await page.waitForURL((url) => url.searchParams.get('status') === 'send_failed', {
        waitUntil: 'commit',
      });
      await page.goBack({ waitUntil: 'commit' });
      await page.waitForURL((url) => url.searchParams.get('status') === 'delivered', {
        waitUntil: 'commit',
      });
      const delivered = await client.get<ApiPage<RestMessage>>('/v1/messages', {
        status: 'delivered',
        pageSize: '50',
      });
      await waitFor(
        async () =>
          JSON.stringify(await listedMessageIds()) ===
          JSON.stringify(delivered.data.map((m) => m.messageId)),
        { timeoutMs: 15_000, description: 'the delivered rows after going back' },
      );
      await page.goto(consoleUrl('messages?status=send_failed'));
      await page.locator('table tbody tr').first().waitFor();
      await shoot('sms-status');
    });
  });

  it('shows the API’s error text, and a no-match state that clears the filters', async () => {
    // No match: the filter is kept, and Clear filters goes back to every message.
    await page.goto(consoleUrl('messages?phone=%2B8613800138000'));
    await page.getByText('Nothing matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => url.search === '');
    await page.locator('table tbody tr').first().waitFor();
    // A number the API refuses (a real number plan, no such range): its own words are shown,
    // with a way to try again, instead of a blank page.
    await page.goto(consoleUrl('messages?phone=%2B447700900000'));
    const alert = page.getByRole('alert').filter({ hasText: 'The request failed' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('is not a valid number for its country');
    expect(await alert.getByRole('button', { name: 'Try again' }).count()).toBe(1);
  });

  it('opens a failed message from the keyboard and reads its send log', async () => {
    await page.goto(consoleUrl('messages?status=send_failed'));
    const link = page.locator('table tbody tr td a[href*="/console/messages/"]').first();
    // Rows open through real links: focus and Enter, no mouse.
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Send log' }).waitFor();
    const log = page.getByRole('region', { name: 'Send log' });
    await expect(log.textContent()).resolves.toContain('Failure receipt');
    await expect(page.locator('.fields').first().textContent()).resolves.toMatch(
      /Send failed · .+ \(5\d0\)/,
    );
    // Hovering a time shows it in UTC.
    await expect(page.locator('time').first().getAttribute('title')).resolves.toMatch(/UTC$/);
    await shoot('message-detail');

    // A failure that blocked the number shows the entry it created.
    const blocked = summary.expectedEntries.find(
      (e) => e.ownerAccountId === customerAccount().accountId && e.state === 'ACTIVE',
    )!;
    await page.goto(consoleUrl(`messages/${encodeURIComponent(blocked.messageId)}`));
    const entry = page.locator('.card', { hasText: blocked.phone });
    await entry.waitFor();
    await expect(entry.textContent()).resolves.toContain(`(${blocked.code})`);
  });

  it('exports the current filter as CSV with exactly the messages the API lists', async () => {
    await withLogs(async () => {
      await page.goto(consoleUrl('messages?status=send_failed'));
      await page.locator('table tbody tr').first().waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Export CSV' }).click(),
      ]);
      const file = resolve(SCREENSHOTS, 'messages-send_failed.csv');
      await download.saveAs(file);
      const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
      const idColumn = header.indexOf('messageId');
      const statusColumn = header.indexOf('status');
      const listed = await api(customerAccount()).all<RestMessage>('/v1/messages', {
        status: 'send_failed',
      });
      expect(rows.map((row) => row[idColumn])).toEqual(listed.map((m) => m.messageId));
      expect(new Set(rows.map((row) => row[statusColumn]))).toEqual(new Set(['send_failed']));
    });
  });

  it('deletes an own block-list entry after confirming, and Check then allows the number', async () => {
    await withLogs(async () => {
      const client = api(customerAccount());
      const entries = await client.all<RestEntry>('/v1/block-list', { state: 'active' });
      // A number blocked only by this one entry (no other entry, no unsubscribe).
      let target: RestEntry | undefined;
      for (const entry of entries) {
        const check = await client.get<RestCheck>('/v1/block-list/check', { phone: entry.phone });
        const unsubscribed = summary.unsubscribes.some((u) => u.phone === entry.phone);
        const others = summary.expectedEntries.filter((e) => e.phone === entry.phone).length;
        if (check.entry?.entryId === entry.entryId && !unsubscribed && others === 1) {
          target = entry;
          break;
        }
      }
      expect(target).toBeDefined();
      await page.goto(
        consoleUrl(`block-list?phone=${encodeURIComponent(target!.phone)}&state=active`),
      );
      const row = page.locator('table tbody tr', { hasText: target!.phone });
      await row.waitFor();
      await shoot('block-list');
      await row.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete entry' }).click();
      await page.getByTestId('notice').getByText(`Entry of ${target!.phone} deleted.`).waitFor();
      expect((await client.get<RestEntry>(`/v1/block-list/${target!.entryId}`)).state).toBe(
        'deleted',
      );

      await page.getByLabel('Mobile number', { exact: true }).first().fill(target!.phone);
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await expect(page.getByTestId('verdict').textContent()).resolves.toContain('Allowed');
    });
  });

  it('explains another account’s global entry with the customer-service text and offers no delete', async () => {
    const foreign = summary.expectedEntries.find(
      (e) =>
        e.scope === 'GLOBAL' &&
        e.state === 'ACTIVE' &&
        e.ownerAccountId === otherAccount().accountId &&
        !summary.expectedEntries.some(
          (other) =>
            other.phone === e.phone && other.ownerAccountId === customerAccount().accountId,
        ),
    );
    expect(foreign).toBeDefined();
    await page.goto(consoleUrl('block-list'));
    await page.getByLabel('Mobile number', { exact: true }).first().fill(foreign!.phone);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    await expect(verdict.textContent()).resolves.toContain('Blocked for all customers');
    await expect(verdict.textContent()).resolves.toContain('contact customer service');
    expect(await verdict.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await shoot('block-list-check');
  });

  it('lists the account’s replies with the unsubscribe ones marked', async () => {
    const client = api(customerAccount());
    const replies = await client.get<ApiPage<{ replyId: string; keywordAction: string }>>(
      '/v1/replies',
      {
        pageSize: '50',
      },
    );
    expect(replies.data.length).toBeGreaterThan(0);
    await page.goto(consoleUrl('replies'));
    await page.locator('table tbody tr').first().waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(replies.data.length);
    const unsubscribes = replies.data.filter((r) => r.keywordAction === 'unsubscribe').length;
    expect(await page.locator('table tbody .badge-unsubscribe').count()).toBe(unsubscribes);
    await shoot('sms-reply');
  });

  it('keeps a customer out of the operator views, in the UI and in the API', async () => {
    const operatorPages = [
      'admin/overview',
      'admin/messages',
      'admin/block-list',
      'admin/replies',
      'admin/dead-letters',
      'admin/sending-rules',
    ];
    for (const path of operatorPages) {
      await page.goto(consoleUrl(path));
      await page.getByTestId('forbidden').waitFor();
    }
    // The navigation offers none of them.
    expect(await page.locator('a[href*="/console/admin"]').count()).toBe(0);
    // The same session against the API itself.
    const paths = [
      '/v1/admin/accounts',
      `/v1/admin/stats/messages?accountId=${otherAccount().accountId}`,
      '/v1/admin/messages',
      '/v1/admin/block-list',
      '/v1/admin/replies?unattributed=true',
      '/v1/admin/dead-letters?source=send-failures',
    ];
    const fromSession = await page.evaluate(
      async (list) => Promise.all(list.map(async (path) => (await fetch(path)).status)),
      paths,
    );
    expect(fromSession).toEqual(paths.map(() => 403));
    // And with the customer's API key.
    for (const path of paths) {
      const response = await fetch(`${system.gatewayUrl}${path}`, {
        headers: { authorization: customerAccount().authorization },
      });
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
    }
  });

  it('lets an operator see another account’s entries and the unattributed replies', async () => {
    await signOut();
    await signIn(summary.operator.consoleUser);
    expect(await page.getByTestId('who').textContent()).toContain('Operator');
    const operatorApi = api(summary.operator);
    const accounts = await operatorApi.get<{ data: { accountId: string; name: string }[] }>(
      '/v1/admin/accounts',
    );
    for (const account of summary.accounts) {
      expect(accounts.data.map((a) => a.accountId)).toContain(account.accountId);
    }

    // The overview of a picked account: its totals, as the simulator sent them.
    await page.goto(consoleUrl('admin/overview?days=7'));
    await page.getByTestId('pick-account').waitFor();
    await page.getByLabel('Account').selectOption(otherAccount().accountId);
    await page.waitForURL((url) => url.searchParams.get('accountId') === otherAccount().accountId);
    const theirMessages = summary.messages.filter((m) => m.accountId === otherAccount().accountId);
    await waitFor(
      async () =>
        (await page
          .getByTestId('tile-sent')
          .textContent({ timeout: 1_000 })
          .catch(() => null)) === String(theirMessages.length),
      { timeoutMs: 15_000, description: "the other account's total on the overview" },
    );
    await page.locator('[data-testid="overview-chart"] .recharts-bar-rectangle').first().waitFor();
    await expectNoOverflow('admin/overview');
    await shoot('operator-overview');

    // Any account's messages: picked in the account select, as the API lists them for it.
    await page.goto(consoleUrl('admin/messages'));
    await page.getByRole('search').waitFor();
    const picker = page.getByRole('search').getByLabel('Account');
    // Every account is offered by name.
    await waitFor(async () => (await picker.locator('option').count()) > accounts.data.length, {
      timeoutMs: 15_000,
      description: 'the account options',
    });
    await expect(picker.locator('option').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining(otherAccount().name)]),
    );
    await picker.selectOption(otherAccount().accountId);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('accountId') === otherAccount().accountId);
    await page.locator('table tbody tr').first().waitFor();
    const theirs = await operatorApi.get<ApiPage<RestMessage>>('/v1/admin/messages', {
      accountId: otherAccount().accountId,
      pageSize: '50',
    });
    await waitFor(
      async () =>
        JSON.stringify(await listedMessageIds('admin/messages')) ===
        JSON.stringify(theirs.data.map((m) => m.messageId)),
      { timeoutMs: 15_000, description: "the other account's messages" },
    );
    expect(new Set(await page.locator('table tbody tr td code').allTextContents())).toEqual(
      new Set([otherAccount().accountId]),
    );
    // The counts above the table are the picked account's.
    await waitFor(
      async () =>
        (await page.getByTestId('count-all').textContent()) === `${theirMessages.length}All`,
      { timeoutMs: 15_000, description: "the other account's counts" },
    );
    await expectNoOverflow('admin/messages');
    await shoot('operator-messages');
    await page.goto(consoleUrl(`admin/block-list?accountId=${otherAccount().accountId}`));
    await page.locator('table tbody tr').first().waitFor();
    const owners = await page.locator('table tbody tr td code').allTextContents();
    expect(owners.length).toBeGreaterThan(0);
    expect(new Set(owners)).toEqual(new Set([otherAccount().accountId]));
    await expectNoOverflow('admin/block-list');
    await shoot('operator-block-list');
    // Unattributed replies when no account is picked: exactly the API's.
    const unattributed = await operatorApi.get<ApiPage<{ replyId: string }>>('/v1/admin/replies', {
      unattributed: 'true',
      pageSize: '50',
    });
    await page.goto(consoleUrl('admin/replies'));
    await page.locator('table tbody tr, .empty').first().waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(unattributed.data.length);
    await expectNoOverflow('admin/replies');
    await shoot('operator-replies');
    // Dead letters of every source.
    for (const source of [
      'send-failures',
      'keyword-effects',
      'message-status-events',
      'reply-events',
      'block-list-events',
    ]) {
      const letters = await operatorApi.get<ApiPage<{ key: string }>>('/v1/admin/dead-letters', {
        source,
        pageSize: '50',
      });
      await page.goto(consoleUrl(`admin/dead-letters?source=${source}`));
      await page.locator('table tbody tr, [data-testid="dead-letters-empty"]').first().waitFor();
      expect({ source, rows: await page.locator('table tbody tr').count() }).toEqual({
        source,
        rows: letters.data.length,
      });
    }
    await expectNoOverflow('admin/dead-letters');
    await shoot('operator-dead-letters');
  });

  it('lays every page out without horizontal scrolling at 1280×800 and at 390×844', async () => {
    const sizes = [
      { width: 1280, height: 800, name: 'desktop' },
      { width: 390, height: 844, name: 'mobile' },
    ];
    const visit = async (path: string, shot?: string) => {
      await page.goto(consoleUrl(path));
      await page.locator('h1').waitFor();
      await page
        .locator('table, .tiles, .empty, [data-testid="dead-letters-empty"], .callout')
        .first()
        .waitFor();
      await expectNoOverflow(path);
      if (shot) await shoot(shot);
    };
    // Still the operator from the previous case.
    const picked = `accountId=${otherAccount().accountId}`;
    for (const size of sizes) {
      await page.setViewportSize(size);
      for (const path of [
        `admin/overview?${picked}`,
        `admin/messages?${picked}`,
        `admin/block-list?${picked}`,
        'admin/replies',
        'admin/dead-letters',
        `admin/sending-rules?${picked}`,
      ]) {
        await visit(path);
      }
    }
    await signOut();
    await signIn(customerAccount().consoleUser);
    for (const size of sizes) {
      await page.setViewportSize(size);
      for (const path of ['overview', 'messages', 'block-list', 'replies', 'sending-rules']) {
        await visit(path, size.name === 'mobile' ? `mobile-${path}` : undefined);
      }
    }
  });
});
