import {
  accessibilityProblems,
  downloadHashed,
  GatewayClient,
  GatewayTestStack,
  GeneratedFile,
  launchChromium,
  screenshot,
  STAFF_PASSWORD,
  TEST_PORTS,
  testStackEnv,
  uniqueEmail,
  uploadMultipart,
} from '@cp/testing';
import { readFile } from 'node:fs/promises';
import type { Browser, Locator, Page } from 'playwright-core';

// Issue 14's audit page in Debian's Chromium: a few real actions through the API, then the owner
// sees them on the Audit page (times in the viewer's own locale and zone), filters, and exports CSV.
describe('audit page in a real browser', () => {
  const origin = `http://localhost:${TEST_PORTS.gateway}`;
  const stack = new GatewayTestStack(testStackEnv());
  let browser: Browser;
  let page: Page;
  let api: GatewayClient;
  const ownerEmail = uniqueEmail('owner');
  const problems: Record<string, string[]> = {};

  const visible = (locator: Locator, timeout = 30_000) => locator.first().waitFor({ state: 'visible', timeout });
  const rows = () => page.getByRole('table', { name: 'Audit trail' }).getByRole('row');

  const actionsShown = async () => rows().locator('td:nth-child(2)').allTextContents();

  /** Waits until the table shows these actions (a filter's answer arrives after the click). */
  async function shows(actions: string[], timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (JSON.stringify(await actionsShown()) !== JSON.stringify(actions) && Date.now() < deadline) {
      await page.waitForTimeout(200);
    }
    expect(await actionsShown()).toEqual(actions);
  }

  async function screen(name: string) {
    await page
      .getByLabel(/^Loading/)
      .first()
      .waitFor({ state: 'hidden', timeout: 15_000 });
    problems[name] = await accessibilityProblems(page);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    await stack.startBehindGateway(['contacts', 'files', 'audit']);
    const anonymous = new GatewayClient(stack.url('gateway'));
    const firm = await anonymous.signUpFirm({ name: 'Grace Hopper', email: ownerEmail });
    api = anonymous.withToken(firm.accessToken);
    const clientId = (await api.post<{ id: string }>('/v1/clients', { name: 'Babbage', kind: 'individual' })).body.id;
    const uploaded = await uploadMultipart<{ id: string }>(`${stack.url('gateway')}/v1/clients/${clientId}/files`, {
      token: firm.accessToken,
      file: { name: 'w2.txt', size: 1024, bytes: new GeneratedFile(1024).stream() },
    });
    expect(uploaded.status).toBe(201);
    expect(
      (await downloadHashed(`${stack.url('gateway')}/v1/files/${uploaded.body.id}/download`, firm.accessToken)).status,
    ).toBe(200);
    expect((await api.put('/v1/settings/files', { maxUploadBytes: 1024 * 1024 })).status).toBe(200);
    // Recorded asynchronously: wait until the four are in the trail.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const trail = await api.get<{ items: unknown[] }>('/v1/audit');
      if (trail.body.items.length >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    browser = await launchChromium();
    const context = await browser.newContext({
      baseURL: origin,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack.stopAll();
  });

  it("shows the actions, in the viewer's locale, newest first", async () => {
    await page.goto('/app/sign-in');
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByRole('textbox', { name: 'Password' }).fill(STAFF_PASSWORD);
    // The shared servers of a loaded machine can answer a sign-in with 503: try again, as a person would.
    for (let attempt = 1; ; attempt++) {
      await page.getByRole('button', { name: 'Sign in' }).click();
      try {
        await visible(page.getByRole('heading', { name: 'Clients' }), 20_000);
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await visible(page.getByRole('heading', { name: 'Audit trail' }));
    await visible(rows().filter({ hasText: 'File downloaded' }));
    await screen('firm-audit');
    // The owner's own sign-in in this browser is recorded too (newest), from the sign-in event.
    await shows(['Signed in', 'Settings changed', 'File downloaded', 'File uploaded', 'Staff member added']);
    await expect(rows().filter({ hasText: 'File downloaded' }).textContent()).resolves.toContain('Staff: Grace Hopper');
    // The time as a German reader in Berlin reads it.
    const time = rows().filter({ hasText: 'File downloaded' }).locator('time');
    const iso = (await time.getAttribute('datetime')) ?? '';
    const german = new Intl.DateTimeFormat('de-DE', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Europe/Berlin',
    }).format(new Date(iso));
    expect(await time.textContent()).toBe(german);
  }, 120_000);

  it('filters by action, and clears the filter', async () => {
    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'File downloaded' }).click();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await visible(rows().filter({ hasText: 'File downloaded' }));
    await shows(['File downloaded']);
    await screen('firm-audit-filtered');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await shows(['Signed in', 'Settings changed', 'File downloaded', 'File uploaded', 'Staff member added']);
  }, 60_000);

  it('exports the trail as CSV', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await file.path()) ?? '', 'utf8');
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^"time","action"/);
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual([
      '"sign-in.succeeded"',
      '"settings.changed"',
      '"file.downloaded"',
      '"file.uploaded"',
      '"staff.added"',
    ]);
  }, 60_000);

  it('has no serious or critical accessibility violations', () => {
    expect(problems).toEqual({ 'firm-audit': [], 'firm-audit-filtered': [] });
  });
});
