import {
  accessibilityProblems,
  GatewayClient,
  GatewayTestStack,
  launchChromium,
  randomClientAddress,
  screenshot,
  STAFF_PASSWORD,
  TEST_PORTS,
  testStackEnv,
  uniqueEmail,
} from '@cp/testing';
import { randomBytes } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';

// The firm app's "Import contacts" dialog in Debian's Chromium against the real stack: a small
// CSV is uploaded, its per-row results shown, and the new client with its contacts listed.
describe('firm app: import contacts from CSV', () => {
  const origin = `http://localhost:${TEST_PORTS.gateway}`;
  const stack = new GatewayTestStack(testStackEnv({ PORTAL_URL: `${origin}/portal` }));
  const run = randomBytes(3).toString('hex');
  const client = `Imported Household ${run}`;
  const ownerEmail = uniqueEmail('owner');
  let browser: Browser;
  let page: Page;
  const problems: Record<string, string[]> = {};

  const visible = async (locator: Locator, timeout = 30_000) => locator.first().waitFor({ state: 'visible', timeout });
  async function screen(name: string) {
    problems[name] = await accessibilityProblems(page);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    await stack.startBehindGateway(['contacts', 'invites']);
    await new GatewayClient(stack.url('gateway')).from(randomClientAddress()).signUpFirm({ email: ownerEmail });
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: origin, locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack.stopAll();
  });

  it('uploads a CSV, shows a result per row, and lists the new client and contacts', async () => {
    await page.goto('/app');
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByRole('textbox', { name: 'Password' }).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Clients' }));

    await page.getByRole('button', { name: 'Import contacts' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import contacts' });
    await visible(dialog);
    const csv = [
      'Client;First name;Last name;E-mail',
      `${client};Ada;Lovelace;ada-${run}@import.example`,
      `${client};Charles;Babbage;not-an-email`,
      `${client};Mary;Somerville;`,
    ].join('\n');
    await dialog.getByLabel('CSV file').setInputFiles({
      name: 'contacts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${csv}`, 'utf8'),
    });
    await screen('import-dialog');
    await dialog.getByRole('button', { name: 'Import' }).click();

    // The import runs in the background (a leased job): give a loaded machine time.
    await visible(
      dialog.getByRole('status').getByText(/Import finished: 2 created, 0 updated, 0 already there, 1 skipped/),
      90_000,
    );
    const results = dialog.getByRole('table', { name: 'Import results' });
    const row = (name: string) => results.getByRole('row').filter({ hasText: name });
    await visible(row('Ada Lovelace').getByRole('cell', { name: 'Created' }));
    await visible(row('Mary Somerville').getByRole('cell', { name: 'Created' }));
    await visible(row('Charles Babbage').getByText('Skipped: the email address is not valid'));
    await screen('import-results');
    await dialog.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('link', { name: client }).click();
    await visible(page.getByRole('heading', { name: client }));
    await visible(page.getByText('Ada Lovelace'));
    await visible(page.getByText('Mary Somerville'));
    expect(await page.getByText('Charles Babbage').count()).toBe(0);
    await screen('import-client');

    expect(problems).toEqual({ 'import-dialog': [], 'import-results': [], 'import-client': [] });
  }, 180_000);
});
