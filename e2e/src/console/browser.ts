// A real Chromium (Debian's `chromium` package) driven by playwright-core. Playwright's own browser
// download cannot work here, so the system browser is launched by path.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const CHROMIUM_MISSING = `Chromium is missing (looked for ${CHROMIUM_PATH}). The console's browser tests need it:
  sudo apt-get install -y chromium      (Debian/Ubuntu)
or point CHROMIUM_PATH at a Chromium or Chrome binary.`;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
