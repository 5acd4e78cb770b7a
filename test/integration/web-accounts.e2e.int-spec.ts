import {
  accessibilityProblems,
  GatewayClient,
  GatewayTestStack,
  inviteTokenIn,
  launchChromium,
  Mailbox,
  nextSignInCode,
  PrivateSmtpServer,
  screenshot,
  signInCodesSeen,
  tearDown,
  TEST_PORTS,
  testStackEnv,
  uniqueEmail,
} from '@cp/testing';
import { randomBytes } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';

// The account screens in Debian's Chromium, against the whole stack and a Mailpit of this test's
// own: forgot password → the email → the reset page → sign in with the new password (firm and
// portal), the change-password forms, and an expired invite's "Ask <firm> for a new link".
const PASSWORD = 'a long enough passphrase';
const NEW_PASSWORD = 'a fresh and longer passphrase';
const DAY_MS = 24 * 3600 * 1000;

function resetLinkIn(text: string): string {
  const match = /(https?:\/\/\S+\/reset-password\/[A-Za-z0-9_.-]+)/.exec(text);
  if (!match) throw new Error('no reset link in the email');
  return match[1];
}

describe('account screens in a real browser', () => {
  const smtp = PrivateSmtpServer.forTestStack();
  const origin = `http://localhost:${TEST_PORTS.gateway}`;
  const env = testStackEnv({ SMTP_URL: smtp.smtpUrl, PORTAL_URL: `${origin}/portal`, EXPIRY_SWEEP_MS: '1000' });
  const stack = new GatewayTestStack(env);
  const mailbox = new Mailbox(smtp.apiUrl);
  const firmName = `Lamarr & Co ${randomBytes(2).toString('hex')}`;
  const ownerEmail = uniqueEmail('owner');
  const problems: Record<string, string[]> = {};
  let browser: Browser;
  let api: GatewayClient;
  let firm: { slug: string; accessToken: string };

  const newPage = async () =>
    (
      await browser.newContext({
        baseURL: origin,
        locale: 'en-US',
        timezoneId: 'UTC',
        viewport: { width: 1280, height: 900 },
      })
    ).newPage();
  const visible = (locator: Locator, timeout = 30_000) => locator.first().waitFor({ state: 'visible', timeout });

  async function screen(page: Page, name: string) {
    await page
      .getByLabel(/^Loading/)
      .first()
      .waitFor({ state: 'hidden', timeout: 15_000 });
    problems[name] = await accessibilityProblems(page);
    await screenshot(page, name);
  }

  /** The newest email to `address` whose subject matches. */
  async function mailTo(address: string, subject: RegExp) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const mails = await mailbox.to(address);
      const found = mails.find((m) => subject.test(m.Subject));
      if (found) return mailbox.read(found.ID);
      if (Date.now() > deadline) throw new Error(`no email "${subject}" to ${address}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    await smtp.start();
    await stack.startBehindGateway(['contacts', 'invites', 'notifications']);
    api = new GatewayClient(stack.url('gateway'));
    const signedUp = await api.signUpFirm({ firmName, name: 'Hedy Lamarr', email: ownerEmail, password: PASSWORD });
    firm = { slug: signedUp.firm.slug, accessToken: signedUp.accessToken };
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await tearDown(
      async () => stack.stopAll(),
      async () => smtp.stop(),
    );
  });

  it('firm: forgot password → the email → the reset page → sign in with the new password', async () => {
    const page = await newPage();
    await page.goto('/app/sign-in');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await visible(page.getByRole('heading', { name: 'Forgot your password?' }));
    await screen(page, 'firm-forgot-password');
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await visible(page.getByRole('status').getByText(/we sent it a link/));
    await screen(page, 'firm-forgot-password-sent');

    const link = resetLinkIn((await mailTo(ownerEmail, /Reset your/)).Text);
    expect(link).toContain(`${origin}/app/reset-password/`);
    await page.goto(link);
    await visible(page.getByRole('heading', { name: 'Set a new password' }));
    await screen(page, 'firm-reset-password');
    await page.getByRole('textbox', { name: 'New password' }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await visible(page.getByRole('status').getByText(/new password is set/));
    await screen(page, 'firm-reset-password-done');

    // The same link again says it was used.
    const again = await newPage();
    await again.goto(link);
    await again.getByRole('textbox', { name: 'New password' }).fill(NEW_PASSWORD);
    await again.getByRole('button', { name: 'Set new password' }).click();
    await visible(again.getByRole('alert').getByText('This link was already used to set a password.'));
    await visible(again.getByRole('link', { name: 'Ask for a new link' }));
    await screen(again, 'firm-reset-link-used');

    await page.getByRole('link', { name: 'Back to sign in' }).click();
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('alert').getByText(/incorrect/i));
    await page.getByRole('textbox', { name: 'Password' }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Clients' }));

    // Change it back from the Account page: a wrong current password is said so.
    await page.getByRole('link', { name: 'Account' }).click();
    await visible(page.getByRole('heading', { name: 'Your account' }));
    await screen(page, 'firm-account');
    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByRole('textbox', { name: 'New password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await visible(page.getByText('The current password is not correct.'));
    await screen(page, 'firm-account-wrong-password');
    await page.getByLabel('Current password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await visible(page.getByRole('status').getByText(/Password changed/));
    // Still signed in: the page goes on working with the new session.
    await page.getByRole('link', { name: 'Clients' }).click();
    await visible(page.getByRole('heading', { name: 'Clients' }));
  }, 240_000);

  it('portal: forgot password → reset → sign in; change password in User Settings', async () => {
    const staff = api.withToken(firm.accessToken);
    const client = await staff.post<{ id: string }>('/v1/clients', { name: 'Portal Household', kind: 'individual' });
    const email = uniqueEmail('rosa');
    const contact = await staff.post<{ id: string }>(`/v1/clients/${client.body.id}/contacts`, {
      firstName: 'Rosa',
      lastName: 'Franklin',
      email,
    });
    await staff.post(`/v1/contacts/${contact.body.id}/invites`, {});
    const token = inviteTokenIn((await mailTo(email, /invited you/)).Text);
    expect((await api.post('/v1/portal/invites/accept', { token, password: PASSWORD })).status).toBe(201);

    const page = await newPage();
    await page.goto(`/portal/${firm.slug}/sign-in`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await visible(page.getByRole('heading', { name: 'Forgot your password?' }));
    await screen(page, 'portal-forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await visible(page.getByRole('status').getByText(/we sent it a link/));

    const link = resetLinkIn((await mailTo(email, /Reset your/)).Text);
    expect(link).toContain(`${origin}/portal/reset-password/`);
    await page.goto(link);
    await visible(page.getByRole('heading', { name: 'Set a new password' }));
    await screen(page, 'portal-reset-password');
    await page.getByRole('textbox', { name: 'New password' }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await visible(page.getByRole('status').getByText(/new password is set/));
    await page.getByRole('link', { name: 'Sign in' }).click();
    const codesSeen = await signInCodesSeen(mailbox, email);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('textbox', { name: 'Password' }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // New firms ask contacts for an emailed code after the password (two-step sign-in).
    await visible(page.getByRole('heading', { name: 'Check your email' }));
    const { code } = await nextSignInCode(mailbox, email, codesSeen);
    await page.getByRole('textbox', { name: 'Code', exact: true }).fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await visible(page.getByRole('heading', { name: 'Home' }));

    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByRole('textbox', { name: 'New password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await visible(page.getByText('The current password is not correct.'));
    await screen(page, 'portal-home-change-password');
    await page.getByLabel('Current password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await visible(page.getByRole('status').getByText(/Password changed/));
  }, 240_000);

  it("an expired invite's page asks the firm for a new link; the staff member gets the email", async () => {
    const staff = api.withToken(firm.accessToken);
    const client = await staff.post<{ id: string }>('/v1/clients', { name: 'Late Household', kind: 'individual' });
    const email = uniqueEmail('lena');
    const contact = await staff.post<{ id: string }>(`/v1/clients/${client.body.id}/contacts`, {
      firstName: 'Lena',
      lastName: 'Late',
      email,
    });
    await staff.post(`/v1/contacts/${contact.body.id}/invites`, {});
    const token = inviteTokenIn((await mailTo(email, /invited you/)).Text);

    // 31 days later on the invites service's clock: the link has expired.
    await stack.get('invites').stop();
    stack.get('invites').start({ CLOCK_OFFSET_MS: String(31 * DAY_MS), EXPIRY_SWEEP_MS: '1000' });
    await stack.get('invites').waitReady();
    try {
      const page = await newPage();
      await page.goto(`/portal/invite/${token}`);
      await visible(page.getByRole('heading', { name: 'This link no longer works' }));
      await visible(page.getByText('This invite link has expired.'));
      await screen(page, 'portal-link-expired');
      await page.getByRole('button', { name: `Ask ${firmName} for a new link` }).click();
      await visible(page.getByRole('status').getByText(`We asked ${firmName} to send you a new link.`));
      await screen(page, 'portal-new-link-asked');

      const notice = await mailTo(ownerEmail, /Lena Late asked for a new portal link/);
      expect(notice.Text).toContain(`${origin}/app/clients/${client.body.id}`);
      expect((await mailbox.to(email)).filter((m) => /new portal link/.test(m.Subject))).toHaveLength(0);

      // The firm's contact row says so.
      const firmPage = await newPage();
      await firmPage.goto('/app/sign-in');
      await firmPage.getByLabel('Email').fill(ownerEmail);
      await firmPage.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
      await firmPage.getByRole('button', { name: 'Sign in' }).click();
      await visible(firmPage.getByRole('heading', { name: 'Clients' }));
      const asked = firmPage
        .getByRole('row')
        .filter({ hasText: 'Lena Late' })
        .getByText(/^Asked for a new link /);
      const deadline = Date.now() + 60_000;
      for (;;) {
        await firmPage.goto(`/app/clients/${client.body.id}`);
        try {
          await visible(asked, 5_000);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
      }
      await screen(firmPage, 'firm-contact-asked-for-new-link');
    } finally {
      await stack.get('invites').stop();
      stack.get('invites').start({ EXPIRY_SWEEP_MS: '1000' });
      await stack.get('invites').waitReady();
    }
  }, 300_000);

  it('has no serious or critical accessibility problem on any new screen', () => {
    expect(Object.keys(problems).length).toBeGreaterThanOrEqual(10);
    expect(Object.fromEntries(Object.entries(problems).filter(([, found]) => found.length > 0))).toEqual({});
  });
});
