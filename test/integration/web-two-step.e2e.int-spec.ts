import {
  accessibilityProblems,
  GatewayClient,
  GatewayTestStack,
  launchChromium,
  Mailbox,
  nextSignInCode,
  onboardContact,
  PORTAL_PASSWORD,
  PrivateSmtpServer,
  screenshot,
  signInCodesSeen,
  STAFF_PASSWORD,
  tearDown,
  TEST_PORTS,
  testStackEnv,
  uniqueEmail,
} from '@cp/testing';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';

/** The authenticator app: otplib's current code (run by Node: jest cannot load otplib's ESM dependency). */
async function totp(secret: string, not?: string): Promise<string> {
  const script = "require('otplib').generate({ secret: process.argv[1] }).then((c) => process.stdout.write(c))";
  for (;;) {
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, secret]);
    if (stdout.trim() !== not) return stdout.trim();
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// Two-step sign-in in Debian's Chromium: a contact signs in with the code emailed to them and
// trusts the browser; a staff member sets up an authenticator (QR code, recovery codes) and signs
// in with its code. axe-core checks each screen.
describe('two-step sign-in in a real browser', () => {
  const smtp = PrivateSmtpServer.forTestStack();
  const origin = `http://localhost:${TEST_PORTS.gateway}`;
  const env = testStackEnv({ SMTP_URL: smtp.smtpUrl, PORTAL_URL: `${origin}/portal` });
  const stack = new GatewayTestStack(env);
  const mailbox = new Mailbox(smtp.apiUrl);
  const problems: Record<string, string[]> = {};
  let browser: Browser;
  let ownerEmail: string;
  let firmSlug: string;
  let contactEmail: string;

  // Generous: on the shared 2-core machine a sign-in (argon2, several services) can take long.
  const visible = (locator: Locator, timeout = 90_000) => locator.first().waitFor({ state: 'visible', timeout });
  async function screen(page: Page, name: string) {
    problems[name] = await accessibilityProblems(page);
    await screenshot(page, name);
  }
  const newPage = async () =>
    (await browser.newContext({ baseURL: origin, locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();

  beforeAll(async () => {
    await smtp.start();
    await stack.startBehindGateway(['contacts', 'invites', 'notifications', 'files']);
    const anonymous = new GatewayClient(origin);
    ownerEmail = uniqueEmail('owner');
    const firm = await anonymous.signUpFirm({ email: ownerEmail });
    firmSlug = firm.firm.slug;
    const owner = anonymous.withToken(firm.accessToken);
    const client = await owner.post<{ id: string }>('/v1/clients', { name: 'Browser household', kind: 'individual' });
    contactEmail = (await onboardContact(owner, anonymous, { mailbox }, client.body.id, 'Eve')).email;
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await tearDown(
      async () => stack.stopAll(),
      async () => smtp.stop(),
    );
  });

  it('portal: the emailed code after the password; a trusted browser skips it next time', async () => {
    const page = await newPage();
    const signIn = async () => {
      await page.goto(`/portal/${firmSlug}/sign-in`);
      await page.getByLabel('Email').fill(contactEmail);
      await page.getByRole('textbox', { name: 'Password' }).fill(PORTAL_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };
    const seen = await signInCodesSeen(mailbox, contactEmail);
    await signIn();
    await visible(page.getByRole('heading', { name: 'Check your email' }));
    await screen(page, 'portal-two-step-code');
    const { code } = await nextSignInCode(mailbox, contactEmail, seen);
    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByRole('textbox', { name: 'Code', exact: true }).fill(wrong);
    await page.getByRole('button', { name: 'Verify' }).click();
    await visible(page.getByRole('alert').getByText(/not right/i));
    await page.getByRole('textbox', { name: 'Code', exact: true }).fill(code);
    await page.getByLabel('Trust this browser for 30 days').check();
    await page.getByRole('button', { name: 'Verify' }).click();
    await visible(page.getByRole('heading', { name: 'Home' }));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByRole('heading', { name: 'Sign in to your portal' }));
    await signIn();
    await visible(page.getByRole('heading', { name: 'Home' }));

    // User Settings: the contact's own choice (what counts when the firm leaves it to each contact).
    const choice = page.getByRole('switch', { name: 'Email me a code each time I sign in' });
    await visible(choice);
    const before = await choice.isChecked();
    await choice.click({ force: true });
    await visible(page.getByRole('region', { name: 'Sign-in code' }).getByRole('status'));
    await page.reload();
    await visible(choice);
    expect(await choice.isChecked()).toBe(!before);
    await screen(page, 'portal-home-settings');
  }, 420_000);

  it('firm: set up an authenticator (QR code, recovery codes), then sign in with its code', async () => {
    const page = await newPage();
    await page.goto('/app/sign-in');
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByRole('textbox', { name: 'Password' }).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Clients' }));

    await page.getByRole('link', { name: 'Security' }).click();
    await visible(page.getByRole('heading', { name: 'Firm security settings' }));
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await visible(page.getByRole('img', { name: 'QR code for your authenticator app' }));
    await screen(page, 'firm-security-enrol');
    const keyText = (await page.getByText('Or type this key:').textContent()) ?? '';
    const secret = keyText.replace('Or type this key:', '').trim();
    const first = await totp(secret);
    await page.getByLabel('Code from the app').fill(first);
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await visible(codes);
    expect(await codes.count()).toBe(10);
    await screen(page, 'firm-security-recovery-codes');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByRole('textbox', { name: 'Password' }).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Two-step sign-in' }));
    await screen(page, 'firm-two-step-code');
    await page.getByRole('textbox', { name: 'Code', exact: true }).fill(await totp(secret, first));
    await page.getByRole('button', { name: 'Verify' }).click();
    // Signed in again, back on the page the session ended on.
    await visible(page.getByRole('heading', { name: 'Security', exact: true }));
    await visible(page.getByText('Two-step sign-in is on: 10 recovery codes left.'));
  }, 420_000);

  it('no serious or critical accessibility problem on any screen', () => {
    expect(Object.keys(problems).length).toBeGreaterThanOrEqual(4);
    expect(problems).toEqual(Object.fromEntries(Object.keys(problems).map((k) => [k, []])));
  });
});
