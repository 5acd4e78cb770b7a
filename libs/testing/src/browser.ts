import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { ROOT } from './service-process';

/** Debian's chromium (scripts/bootstrap.sh installs it); no browser is downloaded at test time. */
export function chromiumExecutable(): string {
  const path = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `No Chromium at ${path}. Install Debian's package "chromium" (apt-get install -y chromium; ` +
        'npm run bootstrap does it as root) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE to a Chromium binary.',
    );
  }
  return path;
}

/** Quiet and self-contained: no GPU, no sandbox (root in CI), nothing phoning home. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_FLAGS, headless: true });
}

/** Screens the e2e saves (ignored by git; a few are copied to docs/screenshots by hand). */
export const SCREENSHOT_DIR = join(ROOT, '.e2e', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA). The
 * inside of frames is not checked: the only frame is the sandboxed email preview, whose content
 * is the email (and axe cannot run scripts there).
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .options({ iframes: false })
    // axe.run in the page itself: the default finishes in a new blank tab, which Chromium refuses
    // to open while the page holds a sandboxed frame.
    .setLegacyMode()
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Waits until the first match shows. */
export const visible = (locator: Locator, timeout = 30_000) => locator.first().waitFor({ state: 'visible', timeout });

/** Reloads until the locator shows (a page that follows events, not pushed to). */
export async function reloadUntil(page: Page, locator: Locator, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await visible(locator, 5_000);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.reload();
    }
  }
}

/** Until no list or dialog is still loading (each loader is labelled "Loading …"). */
export async function settled(page: Page): Promise<void> {
  await page
    .getByLabel(/^Loading/)
    .first()
    .waitFor({ state: 'hidden', timeout: 15_000 });
}
