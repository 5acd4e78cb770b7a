import {
  accessibilityProblems,
  GatewayTestStack,
  inviteTokenIn,
  launchChromium,
  Mailbox,
  nextSignInCode,
  PrivateSmtpServer,
  reloadUntil,
  screenshot,
  settled,
  signInCodesSeen,
  tearDown,
  TEST_PORTS,
  testStackEnv,
  uniqueEmail,
  visible,
} from '@cp/testing';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const PASSWORD = 'a long enough passphrase';

// The seed story, clicked through the firm app and the portal in Debian's Chromium, against the
// whole stack (the gateway serving the built web app) and a Mailpit of this test's own.
// WEB_E2E_ORIGIN (and WEB_E2E_MAILPIT) run the same story against a stack already running, e.g.
// `npm start`: WEB_E2E_ORIGIN=http://localhost:3000 WEB_E2E_MAILPIT=http://127.0.0.1:8025.
describe('firm app and portal in a real browser', () => {
  const external = process.env.WEB_E2E_ORIGIN;
  const smtp = PrivateSmtpServer.forTestStack();
  const origin = external ?? `http://localhost:${TEST_PORTS.gateway}`;
  const env = testStackEnv({ SMTP_URL: smtp.smtpUrl, PORTAL_URL: `${origin}/portal` });
  const stack = new GatewayTestStack(env);
  const mailbox = new Mailbox(external ? process.env.WEB_E2E_MAILPIT : smtp.apiUrl);
  let browser: Browser;
  let firm: BrowserContext;
  let staff: Page;
  const owner = {
    name: 'Grace Hopper',
    email: uniqueEmail('owner'),
    firmName: `Hopper & Co ${randomBytes(2).toString('hex')}`,
  };
  const people = {
    ada: { first: 'Ada', email: uniqueEmail('ada') },
    bea: { first: 'Bea', email: uniqueEmail('bea') },
    cyd: { first: 'Cyd', email: uniqueEmail('cyd') }, // added without an email
    dan: { first: 'Dan', email: uniqueEmail('dan') },
  };
  const problems: Record<string, string[]> = {};
  const started = Date.now();
  const today = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date());

  const newContext = () =>
    browser.newContext({ baseURL: origin, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });

  /** Every screen: 0 serious or critical axe violations (collected, asserted at the end), and a screenshot. */
  async function screen(page: Page, name: string) {
    // Settled: no list or dialog still loading.
    await settled(page);
    problems[name] = await accessibilityProblems(page);
    await screenshot(page, name);
  }

  const row = (page: Page, name: string) => page.getByRole('row').filter({ hasText: name });

  /** Reloads until the text shows (the portal status follows events). */

  async function inviteLink(email: string, count = 1): Promise<string> {
    // Generous: on a Kafka shared with other checkouts' test stacks, this stack's notifications
    // service also sends their invite emails, and ours can wait behind hundreds of them.
    const mails = await mailbox.waitFor(email, count, 300_000);
    return `${origin}/portal/invite/${inviteTokenIn(mails[count - 1].Text)}`;
  }

  async function createAccount(link: string, name: string): Promise<Page> {
    const page = await (await newContext()).newPage();
    await page.goto(link);
    await visible(page.getByText(owner.firmName));
    await screen(page, `portal-invite-${name}`);
    await page.getByRole('button', { name: 'Create Account' }).click();
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create Account' }).click();
    await visible(page.getByRole('heading', { name: 'Home' }));
    return page;
  }

  async function chooseFile(page: Page, button: string, name: string, bytes: Buffer) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: button }).click();
    await (await chooser).setFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
  }

  beforeAll(async () => {
    if (!external) {
      await smtp.start();
      await stack.startBehindGateway(['contacts', 'invites', 'notifications', 'files']);
    }
    browser = await launchChromium();
    firm = await newContext();
    staff = await firm.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (!external) {
      await tearDown(
        async () => stack.stopAll(),
        async () => smtp.stop(),
      );
    }
  });

  it('firm signs up; the session is an httpOnly cookie, renewed silently after a reload', async () => {
    await staff.goto('/app');
    await visible(staff.getByRole('heading', { name: 'Sign in' }));
    await screen(staff, 'firm-sign-in');
    await staff.getByRole('link', { name: 'Create an account' }).click();
    await staff.getByLabel('Firm name').fill(owner.firmName);
    await staff.getByLabel('Your name').fill(owner.name);
    await staff.getByLabel('Work email').fill(owner.email);
    await staff.getByRole('textbox', { name: 'Password' }).fill('short');
    await staff.getByRole('button', { name: 'Create account' }).click();
    // The API's own message, next to the field.
    await visible(staff.getByText(/password must be longer than or equal to 12 characters/));
    await screen(staff, 'firm-sign-up-error');
    await staff.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await staff.getByRole('button', { name: 'Create account' }).click();
    await visible(staff.getByRole('heading', { name: 'Clients' }));
    await visible(staff.getByText('No clients yet.'));

    const cookies = await firm.cookies();
    expect(cookies.map((c) => c.name)).toEqual(['cp_staff_refresh']);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/v1/auth' });
    expect(await staff.evaluate<string>('JSON.stringify(localStorage)')).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
    await staff.reload();
    await visible(staff.getByText(owner.firmName));
    await visible(staff.getByRole('heading', { name: 'Clients' }));
  }, 120_000);

  it('adds a client and three contacts, one without email: each reads "No invite sent"', async () => {
    await staff.getByRole('button', { name: 'New client' }).click();
    await staff.getByLabel('Client name').fill('The Lovelace Household');
    await staff.getByRole('button', { name: 'Create client' }).click();
    await visible(staff.getByRole('heading', { name: 'The Lovelace Household' }));
    for (const person of [people.ada, people.bea, people.cyd]) {
      await staff.getByRole('button', { name: 'Add contact' }).click();
      const dialog = staff.getByRole('dialog', { name: 'Add contact' });
      await dialog.getByLabel('First name').fill(person.first);
      await dialog.getByLabel('Last name').fill('Lovelace');
      if (person !== people.cyd) await dialog.getByLabel('Email').fill(person.email);
      await dialog.getByRole('button', { name: 'Add contact' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await visible(row(staff, `${person.first} Lovelace`));
    }
    for (const person of [people.ada, people.bea, people.cyd]) {
      await visible(row(staff, `${person.first} Lovelace`).getByText('No invite sent'));
    }
    await screen(staff, 'firm-contacts');
  }, 120_000);

  it('invites the contact without email, adding it in the dialog; they create an account; the row shows the login ✅', async () => {
    await staff.getByRole('button', { name: 'Send invite to Cyd Lovelace' }).click();
    const dialog = staff.getByRole('dialog', { name: 'Send invite' });
    await dialog.getByRole('textbox', { name: 'Email' }).fill(people.cyd.email);
    await dialog.getByLabel('Personal message').fill('Here is the portal for your documents.');
    await visible(dialog.getByTitle('Email preview'));
    await screen(staff, 'firm-send-invite');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The row updates by itself once the contacts service has seen the invite's event.
    await visible(row(staff, 'Cyd Lovelace').getByText('Invited – never logged in'), 90_000);

    const [mail] = await mailbox.waitFor(people.cyd.email, 1, 300_000);
    expect(mail.Text).toContain('Here is the portal for your documents.');
    const cyd = await createAccount(await inviteLink(people.cyd.email), 'cyd');
    await screen(cyd, 'portal-home-empty');

    await reloadUntil(staff, row(staff, 'Cyd Lovelace').getByText(`Last login ${today}`));
    await visible(row(staff, 'Cyd Lovelace').getByRole('img', { name: 'accepted' }));
  }, 600_000);

  it('bulk invites the others: one result per contact', async () => {
    await staff.getByRole('button', { name: 'More contact actions' }).click();
    await staff.getByRole('menuitem', { name: 'Invite contacts to the portal' }).click();
    const dialog = staff.getByRole('dialog', { name: 'Invite contacts to the portal' });
    await dialog.getByLabel(`Ada Lovelace <${people.ada.email}>`).check();
    await dialog.getByLabel(`Bea Lovelace <${people.bea.email}>`).check();
    await dialog.getByRole('button', { name: 'Send 2 invites' }).click();
    const results = dialog.getByRole('table', { name: 'Invite results' });
    await visible(results.getByRole('row').filter({ hasText: 'Ada Lovelace' }).getByText('Sent'));
    await visible(results.getByRole('row').filter({ hasText: 'Bea Lovelace' }).getByText('Sent'));
    await screen(staff, 'firm-bulk-invite-results');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(row(staff, 'Ada Lovelace').getByText('Invited – never logged in'), 90_000);
    await screen(staff, 'firm-contacts-invited');
    await mailbox.waitFor(people.ada.email, 1, 300_000);
    await mailbox.waitFor(people.bea.email, 1, 300_000);
  }, 600_000);

  let fileBytes: Buffer;
  let dan: Page;

  it('shares a file with a contact who is not invited: the prompt invites and shares; they download identical bytes', async () => {
    await staff.getByRole('button', { name: 'Add contact' }).click();
    const add = staff.getByRole('dialog', { name: 'Add contact' });
    await add.getByLabel('First name').fill('Dan');
    await add.getByLabel('Last name').fill('Lovelace');
    await add.getByLabel('Email').fill(people.dan.email);
    await add.getByRole('button', { name: 'Add contact' }).click();
    await add.waitFor({ state: 'hidden' });
    await visible(row(staff, 'Dan Lovelace').getByText('No invite sent'));

    await staff.getByRole('tab', { name: 'Files' }).click();
    await visible(staff.getByText('No files yet.'));
    fileBytes = randomBytes(8 * MiB);
    await chooseFile(staff, 'Upload a file', 'Tax return 2025.pdf', fileBytes);
    await visible(staff.getByRole('status').getByText('Uploaded Tax return 2025.pdf'), 120_000);
    await staff.getByRole('button', { name: 'Share Tax return 2025.pdf' }).click();
    const share = staff.getByRole('dialog', { name: 'Share Tax return 2025.pdf' });
    await share.getByLabel('Dan Lovelace').check();
    await share.getByRole('button', { name: 'Share' }).click();
    await visible(share.getByText("Dan Lovelace can't see portal items until they're invited"));
    await screen(staff, 'firm-share-prompt');
    await share.getByRole('button', { name: 'Invite and share' }).click();
    await share.waitFor({ state: 'hidden' });
    await visible(row(staff, 'Tax return 2025.pdf').getByText('Dan Lovelace'));
    await screen(staff, 'firm-files');

    dan = await createAccount(await inviteLink(people.dan.email), 'dan');
    await visible(row(dan, 'Tax return 2025.pdf'));
    const download = dan.waitForEvent('download');
    await dan.getByRole('button', { name: 'Download Tax return 2025.pdf' }).click();
    const saved = await (await download).path();
    expect(sha256(await readFile(saved))).toBe(sha256(fileBytes));
  }, 600_000);

  it('requests a document; the contact uploads it from the To-Do with progress; the firm sees it done', async () => {
    await staff.getByRole('tab', { name: 'Requests' }).click();
    await staff.getByLabel('Document to request').fill('2025 W-2 forms');
    await staff.getByRole('checkbox', { name: 'Dan Lovelace' }).check();
    await staff.getByRole('button', { name: 'Request document' }).click();
    await visible(row(staff, '2025 W-2 forms').getByText('Open'));

    await reloadUntil(dan, dan.getByRole('heading', { name: '2025 W-2 forms' }));
    await screen(dan, 'portal-home');
    const w2 = randomBytes(4 * MiB);
    await chooseFile(dan, 'Upload for 2025 W-2 forms', 'w2.pdf', w2);
    await visible(dan.getByText('Nothing to do.'), 120_000);
    await visible(row(dan, 'w2.pdf'));

    await visible(row(staff, '2025 W-2 forms').getByText('Done'), 60_000);
    await visible(row(staff, '2025 W-2 forms').getByText(/w2\.pdf from Dan Lovelace/));
    await screen(staff, 'firm-requests');
  }, 240_000);

  it('a revoked link says so in plain words and offers sign in', async () => {
    const link = await inviteLink(people.ada.email);
    await staff.getByRole('tab', { name: 'Contacts' }).click();
    await staff.getByRole('button', { name: 'Revoke invite of Ada Lovelace' }).click();
    await visible(row(staff, 'Ada Lovelace').getByText('Invite revoked'), 60_000);
    const page = await (await newContext()).newPage();
    await page.goto(link);
    await visible(page.getByRole('heading', { name: 'This link no longer works' }));
    await visible(page.getByText('This invite was withdrawn by the firm.'));
    await visible(page.getByRole('link', { name: 'Sign in' }));
    await screen(page, 'portal-link-revoked');
  }, 120_000);

  it('signs out and back in: a wrong password is said so, and sign out ends the refresh family', async () => {
    await dan.getByRole('button', { name: 'Sign out' }).click();
    await visible(dan.getByRole('heading', { name: 'Sign in to your portal' }));
    expect(dan.url()).toMatch(/\/portal\/[a-z0-9-]+\/sign-in$/);
    await dan.getByLabel('Email').fill(people.dan.email);
    await dan.getByRole('textbox', { name: 'Password' }).fill('not the password at all');
    await dan.getByRole('button', { name: 'Sign in' }).click();
    await visible(dan.getByRole('alert').getByText(/incorrect/i));
    await screen(dan, 'portal-sign-in-error');
    await dan.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    const seen = await signInCodesSeen(mailbox, people.dan.email);
    await dan.getByRole('button', { name: 'Sign in' }).click();
    // A new firm requires the emailed code after the password.
    await visible(dan.getByRole('heading', { name: 'Check your email' }));
    const { code } = await nextSignInCode(mailbox, people.dan.email, seen);
    await dan.getByRole('textbox', { name: 'Code', exact: true }).fill(code);
    await dan.getByRole('button', { name: 'Verify' }).click();
    await visible(dan.getByRole('heading', { name: 'Home' }));

    const cookie = (await firm.cookies()).find((c) => c.name === 'cp_staff_refresh');
    await staff.getByRole('button', { name: 'Sign out' }).click();
    await visible(staff.getByRole('heading', { name: 'Sign in' }));
    // The refresh token the browser held no longer works.
    const reused = await fetch(`${origin}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: cookie?.value }),
    });
    expect(reused.status).toBe(401);
    await staff.getByLabel('Email').fill(owner.email);
    await staff.getByRole('textbox', { name: 'Password' }).fill('not the password at all');
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await visible(staff.getByRole('alert').getByText(/incorrect/i));
    await staff.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await staff.getByRole('button', { name: 'Sign in' }).click();
    // Back where the session ended, then to the list.
    await visible(staff.getByRole('heading', { name: 'The Lovelace Household' }));
    await staff.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await visible(row(staff, 'The Lovelace Household'));
    await screen(staff, 'firm-clients');
  }, 120_000);

  it('has no serious or critical accessibility violations on any screen', () => {
    console.log(
      `web e2e: ${Object.keys(problems).length} screens checked in ${Math.round((Date.now() - started) / 1000)} s`,
    );
    expect(Object.keys(problems).length).toBeGreaterThanOrEqual(10);
    expect(Object.fromEntries(Object.entries(problems).filter(([, found]) => found.length > 0))).toEqual({});
  });
});
