import {
  accessibilityProblems,
  GatewayTestStack,
  launchChromium,
  Mailbox,
  PrivateSmtpServer,
  reloadUntil,
  screenshot,
  settled,
  tearDown,
  TEST_PORTS,
  testStackEnv,
  uniqueEmail,
  visible,
} from '@cp/testing';
import { randomBytes } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';

const PASSWORD = 'a long enough passphrase';
const BRAND = '#7a1f5c';

// The firm app's own pages, clicked in Debian's Chromium against the whole stack and a Mailpit of
// this test's own: email templates (a broken one is refused with its line and column), branding
// seen in the preview and in the email sent with the template, the delivery log, invite expiry
// changed by keyboard only, and a staff user added (who then finds the settings locked).
describe('firm app: templates, delivery log and settings in a real browser', () => {
  const smtp = PrivateSmtpServer.forTestStack();
  const origin = `http://localhost:${TEST_PORTS.gateway}`;
  const stack = new GatewayTestStack(testStackEnv({ SMTP_URL: smtp.smtpUrl, PORTAL_URL: `${origin}/portal` }));
  const mailbox = new Mailbox(smtp.apiUrl);
  let browser: Browser;
  let staff: Page;
  const owner = {
    name: 'Grace Hopper',
    email: uniqueEmail('owner'),
    firm: `Hopper Books ${randomBytes(2).toString('hex')}`,
  };
  const contactEmail = uniqueEmail('ada');
  const colleague = { name: 'Charles Babbage', email: uniqueEmail('charles') };
  const problems: Record<string, string[]> = {};
  const narrow: Record<string, number> = {};

  const newPage = async () =>
    (
      await browser.newContext({
        baseURL: origin,
        locale: 'en-US',
        timezoneId: 'UTC',
        viewport: { width: 1280, height: 900 },
      })
    ).newPage();
  const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });
  const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  const section = (page: Page, name: string) => page.getByRole('region', { name });

  /**
   * Every new screen: axe (serious/critical collected, asserted at the end), a screenshot, and
   * the same screen at 375 px: the page itself must not scroll sideways (tables scroll inside).
   */
  async function screen(page: Page, name: string) {
    await settled(page);
    problems[name] = await accessibilityProblems(page);
    await screenshot(page, name);
    const size = page.viewportSize() ?? { width: 1280, height: 900 };
    await page.setViewportSize({ width: 375, height: 800 });
    narrow[name] = await page.evaluate<number>('document.documentElement.scrollWidth');
    await screenshot(page, `${name}-375px`);
    await page.setViewportSize(size);
  }

  /** Asks again until the answer satisfies `ok` (the page catches up with the server). */
  async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const srcdoc = async (frame: Locator) =>
    until(
      async () => (await frame.getAttribute('srcdoc')) ?? '',
      (html) => html.includes(BRAND),
    );

  /** What a screen reader reads after the field's name: its description and error. */
  async function descriptionOf(page: Page, field: Locator): Promise<string> {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
    const texts = await Promise.all(ids.map(async (id) => page.locator(`[id="${id}"]`).textContent()));
    return texts.join(' ');
  }

  /** Tabs from the top of the page to the control, so the test uses the keyboard as a person would. */
  async function tabTo(page: Page, target: Locator, maxTabs = 60) {
    const id = await target.getAttribute('id');
    await page.locator('body').focus();
    for (let i = 0; i < maxTabs; i += 1) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate<string | undefined>('document.activeElement?.id')) === id) return;
    }
    throw new Error(`not reachable by Tab within ${maxTabs} presses`);
  }

  beforeAll(async () => {
    await smtp.start();
    await stack.startBehindGateway(['contacts', 'invites', 'notifications', 'files']);
    browser = await launchChromium();
    staff = await newPage();
    await staff.goto('/app/sign-up');
    await staff.getByLabel('Firm name').fill(owner.firm);
    await staff.getByLabel('Your name').fill(owner.name);
    await staff.getByLabel('Work email').fill(owner.email);
    await staff.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await staff.getByRole('button', { name: 'Create account' }).click();
    await visible(staff.getByRole('heading', { name: 'Clients' }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await tearDown(
      async () => stack.stopAll(),
      async () => smtp.stop(),
    );
  });

  let templateUrl: string;

  it('a template with an unknown variable is refused with its line and column; fixed, it is created and previewed', async () => {
    await nav(staff, 'Email templates').click();
    await visible(staff.getByRole('heading', { name: 'Email templates' }));
    await visible(row(staff, 'Preset'));
    await screen(staff, 'firm-templates');

    await staff.getByRole('link', { name: 'New template' }).click();
    await staff.getByLabel('Name').fill('Tax season');
    await staff.getByLabel('Subject').fill('{{firm.name}}: your tax season portal');
    const body = staff.getByRole('textbox', { name: 'Body' });
    await body.fill(
      'Hello {{contact.firstName}},\n\nTax season welcome from {{inviter.name}}.\nSee {{contact.nickname}}',
    );
    await staff.getByRole('button', { name: 'Create template' }).click();
    // Next to the body field (its accessible description), with the line and column.
    await visible(staff.getByText(/^Line 4, column 5: The body: Unknown variable \{\{contact\.nickname\}\}/));
    expect(await descriptionOf(staff, body)).toMatch(/Line 4, column 5/);
    await screen(staff, 'firm-template-error');

    await body.fill('Hello {{contact.firstName}},\n\nTax season welcome from {{inviter.name}}.\n\n{{message}}');
    // The preview follows the text as typed, before anything is saved.
    const preview = staff.getByTitle('Email preview');
    await visible(preview.contentFrame().getByText(/Tax season welcome from/), 15_000);
    await staff.getByRole('button', { name: 'Create template' }).click();
    await visible(staff.getByRole('heading', { name: 'Edit Tax season' }));
    await visible(preview);
    expect(await preview.getAttribute('srcdoc')).toContain('Tax season welcome from');
    templateUrl = staff.url();
    await screen(staff, 'firm-template-edit');
  }, 120_000);

  it('branding set in Settings shows in the template preview', async () => {
    await nav(staff, 'Settings').click();
    const branding = section(staff, 'Branding');
    await visible(branding.getByLabel('Brand colour'));
    await branding.getByLabel('Brand colour').fill('#12345');
    await branding.getByRole('button', { name: 'Save' }).click();
    // The API's own words, next to the field.
    await visible(branding.getByText('brandColor must be a colour as #rrggbb'));
    await branding.getByLabel('Brand colour').fill(BRAND);
    await branding.getByRole('button', { name: 'Save' }).click();
    await visible(branding.getByRole('status').getByText('Saved'));
    expect(await srcdoc(branding.getByTitle('Email preview'))).toContain(BRAND);
    await screen(staff, 'firm-settings');

    await staff.goto(templateUrl);
    await visible(staff.getByRole('heading', { name: 'Edit Tax season' }));
    expect(await srcdoc(staff.getByTitle('Email preview'))).toContain(BRAND);
  }, 120_000);

  it('invite expiry changes with the keyboard alone', async () => {
    await nav(staff, 'Settings').click();
    const field = section(staff, 'Invites').getByLabel('Invite links stay valid for (days)');
    await visible(field);
    await tabTo(staff, field);
    await staff.keyboard.press('Control+A');
    await staff.keyboard.type('14');
    await staff.keyboard.press('Enter');
    await visible(section(staff, 'Invites').getByRole('status').getByText('Saved'));
    await staff.reload();
    expect(
      await until(
        async () => field.inputValue(),
        (v) => v === '14',
      ),
    ).toBe('14');
  }, 60_000);

  it('an invite sent with the template arrives in its words and colour; the delivery log lists it', async () => {
    await nav(staff, 'Clients').click();
    await staff.getByRole('button', { name: 'New client' }).click();
    await staff.getByLabel('Client name').fill('The Lovelace Household');
    await staff.getByRole('button', { name: 'Create client' }).click();
    await visible(staff.getByRole('heading', { name: 'The Lovelace Household' }));
    await staff.getByRole('button', { name: 'Add contact' }).click();
    const add = staff.getByRole('dialog', { name: 'Add contact' });
    await add.getByLabel('First name').fill('Ada');
    await add.getByLabel('Last name').fill('Lovelace');
    await add.getByLabel('Email').fill(contactEmail);
    await add.getByRole('button', { name: 'Add contact' }).click();
    await add.waitFor({ state: 'hidden' });

    await staff.getByRole('button', { name: 'Send invite to Ada Lovelace' }).click();
    const dialog = staff.getByRole('dialog', { name: 'Send invite' });
    await dialog.getByLabel('Email template').selectOption({ label: 'Tax season' });
    await dialog.getByLabel('Personal message').fill('See you in March.');
    await visible(dialog.getByTitle('Email preview'));
    expect(await srcdoc(dialog.getByTitle('Email preview'))).toContain('Tax season welcome from');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const [mail] = await mailbox.waitFor(contactEmail, 1, 300_000);
    expect(mail.Subject).toBe(`${owner.firm}: your tax season portal`);
    expect(mail.Text).toContain(`Tax season welcome from ${owner.name}.`);
    expect(mail.Text).toContain('See you in March.');
    expect(mail.HTML).toContain(BRAND);

    await nav(staff, 'Delivery log').click();
    await visible(staff.getByRole('heading', { name: 'Delivery log' }));
    await reloadUntil(staff, row(staff, contactEmail).getByText('Sent'), 90_000);
    await visible(row(staff, contactEmail).getByText('Invite'));
    await screen(staff, 'firm-delivery-log');
    await staff.getByLabel('Status').selectOption({ label: 'Failed' });
    await visible(staff.getByText('No email matches these filters.'));
    await staff.getByLabel('Status').selectOption({ label: 'All' });
    await staff.getByLabel('Client').selectOption({ label: 'The Lovelace Household' });
    await staff.getByLabel('Contact').selectOption({ label: 'Ada Lovelace' });
    await visible(row(staff, contactEmail));
  }, 600_000);

  it('an owner adds a staff user, who finds the settings locked', async () => {
    await nav(staff, 'Settings').click();
    const form = staff.getByRole('form', { name: 'Add a staff user' });
    await visible(form);
    await form.getByLabel('Name').fill(colleague.name);
    await form.getByLabel('Email').fill(colleague.email);
    await form.getByRole('textbox', { name: 'Initial password' }).fill(PASSWORD);
    await form.getByLabel('Role').selectOption('staff');
    await form.getByRole('button', { name: 'Add staff user' }).click();
    await visible(form.getByRole('status').getByText('Added'));
    await visible(
      staff.getByRole('table', { name: 'Staff users' }).getByRole('row').filter({ hasText: colleague.email }),
    );

    const other = await newPage();
    await other.goto('/app/sign-in');
    await other.getByLabel('Email').fill(colleague.email);
    await other.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await visible(other.getByRole('heading', { name: 'Clients' }));
    await nav(other, 'Settings').click();
    await visible(other.getByText('Only an owner or admin of your firm can change these settings.'));
    await visible(section(other, 'Branding').getByRole('button', { name: 'Save' }));
    expect(await section(other, 'Branding').getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    expect(await other.getByRole('button', { name: 'Add staff user' }).isDisabled()).toBe(true);
    await screen(other, 'firm-settings-staff-role');
  }, 120_000);

  it('has no serious or critical accessibility violations, and every screen fits 375 px', () => {
    expect(Object.keys(problems)).toHaveLength(6);
    expect(Object.fromEntries(Object.entries(problems).filter(([, found]) => found.length > 0))).toEqual({});
    expect(Object.fromEntries(Object.entries(narrow).filter(([, width]) => width > 375))).toEqual({});
  });
});
