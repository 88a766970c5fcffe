import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GatewayClient } from '../gateway-client';
import { runSimulator, type SimulationSummary } from '../simulator-process';
import { startSystem, type RunningSystem } from '../system-under-test';
import { launchChromium } from './browser';

const WORKSPACE_ROOT = resolve(__dirname, '../../..');
/** Where suites write screenshots (and downloads they keep). */
export const SCREENSHOTS = resolve(WORKSPACE_ROOT, 'tmp/console-screenshots');
const CONSOLE_INDEX = resolve(WORKSPACE_ROOT, 'dist/console/index.html');

/** What a console suite's tests drive: the system, its simulation, and one browser page. */
export interface ConsoleSuite {
  readonly system: RunningSystem;
  readonly summary: SimulationSummary;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The REST API with an account's API key (to check what the console did). */
  api(account: { authorization: string }): GatewayClient;
  consoleUrl(path?: string): string;
  /** A full-page screenshot in tmp/console-screenshots/<name>.png. */
  shoot(name: string): Promise<void>;
  signIn(user: { email: string; password: string }): Promise<void>;
  /** Appends the gateway's last log lines to an error of `work`. */
  withLogs<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface ConsoleSuiteOptions {
  /** The simulation that creates the accounts, their console users and data. */
  readonly simulatorArgs: readonly string[];
  readonly acceptDownloads?: boolean;
  /**
   * UI work: a file with `{ gatewayUrl, summary }` of a system already running (and left
   * running), instead of starting one.
   */
  readonly reuseFile?: string;
}

/**
 * Chromium, the services as processes and a short simulation, for a suite of console tests
 * (call from `beforeAll`, with a timeout of a few minutes; `close` from `afterAll`).
 */
export async function openConsoleSuite(options: ConsoleSuiteOptions): Promise<ConsoleSuite> {
  if (!existsSync(CONSOLE_INDEX)) {
    throw new Error(`the console is not built (${CONSOLE_INDEX}): run npx nx run console:build`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await launchChromium();
  let system: RunningSystem | undefined;
  try {
    let summary: SimulationSummary;
    if (options.reuseFile) {
      const saved = JSON.parse(readFileSync(options.reuseFile, 'utf8')) as {
        gatewayUrl: string;
        summary: SimulationSummary;
      };
      system = { gatewayUrl: saved.gatewayUrl, output: () => '' } as unknown as RunningSystem;
      summary = saved.summary;
    } else {
      system = await startSystem();
      const running = system;
      const run = await withGatewayLogs(running, () =>
        runSimulator(running, [...options.simulatorArgs]),
      );
      if (run.summary.problems.length) {
        throw new Error(`the simulation reported problems: ${run.summary.problems.join('; ')}`);
      }
      summary = run.summary;
    }
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      timezoneId: 'Asia/Shanghai',
      acceptDownloads: options.acceptDownloads ?? false,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return suiteOf(system, summary, browser, context, page, !options.reuseFile);
  } catch (error) {
    await browser.close();
    if (!options.reuseFile) await system?.cleanUp();
    throw error;
  }
}

function suiteOf(
  system: RunningSystem,
  summary: SimulationSummary,
  browser: Browser,
  context: BrowserContext,
  page: Page,
  ownsSystem: boolean,
): ConsoleSuite {
  const consoleUrl = (path = '') => `${system.gatewayUrl}/console/${path}`;
  return {
    system,
    summary,
    browser,
    context,
    page,
    api: (account) => new GatewayClient(system.gatewayUrl, account.authorization),
    consoleUrl,
    shoot: async (name) => {
      await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    signIn: async (user) => {
      await page.goto(consoleUrl());
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // The password check is deliberately slow (scrypt), slower still on a loaded machine.
      await page.getByTestId('who').waitFor({ timeout: 60_000 });
    },
    withLogs: (work) => withGatewayLogs(system, work),
    close: async () => {
      await context.close();
      await browser.close();
      if (ownsSystem) await system.cleanUp();
    },
  };
}

async function withGatewayLogs<T>(system: RunningSystem, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const tail = system.output('gateway').split('\n').slice(-40).join('\n');
    (error as Error).message += `\n--- gateway output ---\n${tail}`;
    throw error;
  }
}
