import { createEvent, SignInFailedData, SignInSucceededData, Topic, TwoStepChangedData } from '@cp/contracts';
import {
  GatewayClient,
  GatewayTestStack,
  KafkaTap,
  Mailbox,
  nextSignInCode,
  onboardContact,
  PORTAL_PASSWORD,
  portalSignIn,
  randomClientAddress,
  signInCodesSeen,
  STAFF_PASSWORD,
  TappedMessage,
  testStackEnv,
  TestPublisher,
  uniqueEmail,
} from '@cp/testing';
import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** An account event's data, whichever of the three it is. */
const d = (m: TappedMessage) => m.value.data as Partial<SignInSucceededData & SignInFailedData & TwoStepChangedData>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const AGENT = 'two-step-test/1.0';
const ACCOUNT_TOPICS = [Topic.SignInSucceeded, Topic.SignInFailed, Topic.TwoStepChanged];

interface Challenge {
  challengeToken: string;
  method: string;
  code?: string;
  attemptsLeft?: number;
}

/** The secret of an otpauth:// URI, as an authenticator app reads it from the QR code. */
const secretOf = (uri: string) => new URL(uri).searchParams.get('secret') ?? '';

/**
 * The authenticator app: otplib's current code for the secret. Run by Node itself, because
 * otplib's base32 dependency is an ES module that jest's CommonJS runtime cannot load.
 */
async function generate({ secret }: { secret: string }): Promise<string> {
  const script = "require('otplib').generate({ secret: process.argv[1] }).then((c) => process.stdout.write(c))";
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, secret]);
  return stdout.trim();
}

/** The next code of the authenticator that differs from `previous` (a new 30-second step). */
async function freshTotp(secret: string, previous?: string): Promise<string> {
  for (;;) {
    const code = await generate({ secret });
    if (code !== previous) return code;
    await sleep(1000);
  }
}

// Issue 14, two-step sign-in: the portal's emailed code and the staff authenticator, through the
// gateway against the real stack, the SMTP inbox and Kafka.
describe('two-step sign-in', () => {
  const env = testStackEnv({ TRUST_PROXY_HOPS: '1', LOGIN_RATE_LIMIT_PER_ACCOUNT: '100' });
  const stack = new GatewayTestStack(env);
  const mailbox = new Mailbox();
  const tap = new KafkaTap();
  const secrets: string[] = [];
  let anonymous: GatewayClient;
  let owner: GatewayClient;
  let ownerEmail: string;
  let firmSlug: string;
  let firmId: string;
  let contact: { contactId: string; email: string };

  beforeAll(async () => {
    await tap.start([...ACCOUNT_TOPICS, Topic.InviteEmailRequested, Topic.TwoStepCodeRequested]);
    await stack.startBehindGateway(['contacts', 'invites', 'notifications']);
    anonymous = new GatewayClient(stack.url('gateway'))
      .from(randomClientAddress())
      .withHeaders({ 'user-agent': AGENT });
    ownerEmail = uniqueEmail('owner');
    const firm = await anonymous.signUpFirm({ email: ownerEmail });
    firmSlug = firm.firm.slug;
    firmId = firm.firm.id;
    owner = anonymous.withToken(firm.accessToken);
    const client = await owner.post<{ id: string }>('/v1/clients', { name: 'Two-step household', kind: 'individual' });
    contact = await onboardContact(owner, anonymous, { tap, linkKey: env.INVITE_LINK_KEY ?? '' }, client.body.id);
  }, 240_000);

  afterAll(async () => {
    await tap.stop();
    await stack.stopAll();
  });

  const credentials = () => ({ firm: firmSlug, email: contact.email, password: PORTAL_PASSWORD });

  async function portalChallenge(client = anonymous) {
    const seen = await signInCodesSeen(mailbox, contact.email);
    const login = await client.post<Challenge>('/v1/portal/auth/login', credentials());
    expect(login.status).toBe(202);
    expect(login.body).toEqual({ challengeToken: expect.any(String), method: 'email' });
    secrets.push(login.body.challengeToken);
    const { code } = await nextSignInCode(mailbox, contact.email, seen);
    secrets.push(code);
    return { challengeToken: login.body.challengeToken, code };
  }

  const wrongCodeFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('a new firm requires the portal code: settings say so, and the code arrives by email', async () => {
    const settings = await owner.get('/v1/settings/security');
    expect(settings.body).toEqual({ portalTwoStep: 'required', staffTwoStep: 'optional' });

    const { challengeToken, code } = await portalChallenge();
    const wrong = await anonymous.post<Challenge>('/v1/portal/auth/two-step', {
      challengeToken,
      code: wrongCodeFor(code),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'TWO_STEP_CODE_INVALID', attemptsLeft: 4 });

    const signedIn = await anonymous.post<{ accessToken: string }>('/v1/portal/auth/two-step', {
      challengeToken,
      code,
    });
    expect(signedIn.status).toBe(200);
    const me = await anonymous.withToken(signedIn.body.accessToken).get('/v1/portal/me');
    expect(me.status).toBe(200);

    // Single use: the same challenge and code again is refused.
    const reused = await anonymous.post<Challenge>('/v1/portal/auth/two-step', { challengeToken, code });
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('TWO_STEP_EXPIRED');
  }, 180_000);

  it('five wrong codes lock the challenge: even the right code is refused afterwards', async () => {
    const { challengeToken, code } = await portalChallenge();
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await anonymous.post<Challenge>('/v1/portal/auth/two-step', {
        challengeToken,
        code: wrongCodeFor(code),
      });
      answers.push(res.body.code ?? '');
    }
    expect(answers).toEqual([...Array(4).fill('TWO_STEP_CODE_INVALID'), 'TWO_STEP_TOO_MANY_ATTEMPTS']);
    const right = await anonymous.post<Challenge>('/v1/portal/auth/two-step', { challengeToken, code });
    expect(right.status).toBe(401);
    expect(right.body.code).toBe('TWO_STEP_TOO_MANY_ATTEMPTS');
  }, 180_000);

  it('a code older than 10 minutes is refused (clock shifted 11 minutes)', async () => {
    const { challengeToken, code } = await portalChallenge();
    await stack.get('invites').stop();
    stack.get('invites').start({ CLOCK_OFFSET_MS: String(11 * 60_000) });
    await stack.get('invites').waitReady();
    try {
      const late = await anonymous.post<Challenge>('/v1/portal/auth/two-step', { challengeToken, code });
      expect(late.status).toBe(401);
      expect(late.body.code).toBe('TWO_STEP_EXPIRED');
    } finally {
      await stack.get('invites').stop();
      stack.get('invites').start();
      await stack.get('invites').waitReady();
    }
  }, 180_000);

  it('"trust this browser" skips the code for that browser until the password changes', async () => {
    const { challengeToken, code } = await portalChallenge();
    const trusted = await anonymous.post('/v1/portal/auth/two-step', { challengeToken, code, trustDevice: true });
    expect(trusted.status).toBe(200);
    const setCookie = trusted.headers.getSetCookie().find((c) => c.startsWith('cp_portal_device='));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/v1\/portal\/auth/);
    const device = (setCookie ?? '').split(';')[0];
    secrets.push(device.split('=')[1]);
    const browser = anonymous.withHeaders({ cookie: device });

    const again = await browser.post('/v1/portal/auth/login', credentials());
    expect(again.status).toBe(200);
    expect(again.body.accessToken).toEqual(expect.any(String));
    // Another browser (no cookie) still gets the code.
    expect((await anonymous.post('/v1/portal/auth/login', credentials())).status).toBe(202);

    // The password changed (the reset helper's event): the trusted browser is trusted no more.
    const publisher = await new TestPublisher().connect();
    try {
      await publisher.publish([
        createEvent({
          topic: Topic.PasswordChanged,
          firmId,
          correlationId: randomUUID(),
          key: contact.contactId,
          data: { accountId: contact.contactId, accountKind: 'contact', ip: null, userAgent: null, via: 'reset' },
        }),
      ]);
    } finally {
      await publisher.disconnect();
    }
    const deadline = Date.now() + 60_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await browser.post('/v1/portal/auth/login', credentials())).status;
      if (status === 200) await sleep(500);
    }
    expect(status).toBe(202);
  }, 180_000);

  it('portal sign-ins publish SignInSucceeded / SignInFailed with address and browser, never a secret', async () => {
    const wrongPassword = await anonymous.post('/v1/portal/auth/login', {
      ...credentials(),
      password: 'not it at all',
    });
    expect(wrongPassword.status).toBe(401);
    const ok = await portalSignIn(anonymous, mailbox, credentials());
    expect(ok.status).toBe(200);

    const mine = (m: { value: { data: unknown } }) =>
      (m.value.data as { accountId: string | null }).accountId === contact.contactId;
    const [succeeded] = await tap.waitFor(
      (m) => m.topic === String(Topic.SignInSucceeded) && mine(m) && d(m).secondStep === 'email',
    );
    expect(succeeded.key).toBe(contact.contactId);
    expect(succeeded.value.data).toMatchObject({ accountKind: 'contact', userAgent: AGENT, ip: expect.any(String) });
    await tap.waitFor((m) => m.topic === String(Topic.SignInFailed) && mine(m) && d(m).stage === 'password');
    const [failed] = await tap.waitFor(
      (m) => m.topic === String(Topic.SignInFailed) && mine(m) && d(m).reason === 'too-many-attempts',
    );
    expect(failed.value.data).toMatchObject({ stage: 'second-step', accountKind: 'contact' });
    await tap.waitFor(
      (m) => m.topic === String(Topic.SignInSucceeded) && mine(m) && d(m).secondStep === 'trusted-device',
    );
  }, 120_000);

  let ownerSecret = '';
  let recoveryCodes: string[] = [];

  it('staff enrol an authenticator (QR code), then sign in with its codes; a used code is refused', async () => {
    expect((await owner.get('/v1/auth/totp')).body).toEqual({ enrolled: false, recoveryCodesLeft: 0 });
    const enrol = await owner.post<{ otpauthUri: string; qrCode: string }>('/v1/auth/totp/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(enrol.body.qrCode).toMatch(/^data:image\/png;base64,/);
    ownerSecret = secretOf(enrol.body.otpauthUri);
    secrets.push(ownerSecret);

    expect((await owner.post('/v1/auth/totp/confirm', { code: '000000' })).status).toBe(401);
    const firstCode = await freshTotp(ownerSecret);
    const confirmed = await owner.post<{ recoveryCodes: string[] }>('/v1/auth/totp/confirm', { code: firstCode });
    expect(confirmed.status).toBe(200);
    recoveryCodes = confirmed.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    secrets.push(...recoveryCodes);
    expect((await owner.get('/v1/auth/totp')).body).toEqual({ enrolled: true, recoveryCodesLeft: 10 });

    const login = await anonymous.post<Challenge>('/v1/auth/login', { email: ownerEmail, password: STAFF_PASSWORD });
    expect(login.status).toBe(202);
    expect(login.body.method).toBe('totp');
    const code = await freshTotp(ownerSecret, firstCode);
    const signedIn = await anonymous.post<{ accessToken: string }>('/v1/auth/two-step', {
      challengeToken: login.body.challengeToken,
      code,
    });
    expect(signedIn.status).toBe(200);
    expect((await anonymous.withToken(signedIn.body.accessToken).get('/v1/me')).status).toBe(200);

    // The same code again (a replay within its 30 seconds) at a new sign-in: refused.
    const next = await anonymous.post<Challenge>('/v1/auth/login', { email: ownerEmail, password: STAFF_PASSWORD });
    const replay = await anonymous.post<Challenge>('/v1/auth/two-step', {
      challengeToken: next.body.challengeToken,
      code,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('TWO_STEP_CODE_INVALID');

    // A recovery code works once.
    const recovered = await anonymous.post('/v1/auth/two-step', {
      challengeToken: next.body.challengeToken,
      code: recoveryCodes[0],
    });
    expect(recovered.status).toBe(200);
    const later = await anonymous.post<Challenge>('/v1/auth/login', { email: ownerEmail, password: STAFF_PASSWORD });
    const spent = await anonymous.post<Challenge>('/v1/auth/two-step', {
      challengeToken: later.body.challengeToken,
      code: recoveryCodes[0],
    });
    expect(spent.status).toBe(401);
    expect((await owner.get('/v1/auth/totp')).body).toEqual({ enrolled: true, recoveryCodesLeft: 9 });

    const [enrolled] = await tap.waitFor(
      (m) => m.topic === String(Topic.TwoStepChanged) && d(m).accountId === enrolment(owner),
    );
    expect(enrolled.value.data).toMatchObject({ change: 'enrolled', accountKind: 'staff' });
    await tap.waitFor(
      (m) =>
        m.topic === String(Topic.SignInSucceeded) &&
        d(m).accountKind === 'staff' &&
        d(m).secondStep === 'recovery-code',
    );
  }, 180_000);

  /** The staff user id of a client's token (its JWT subject). */
  function enrolment(client: GatewayClient): string {
    const payload = (client.token ?? '').split('.')[1] ?? '';
    return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string }).sub;
  }

  it('when the firm requires it, staff without an authenticator enrol at sign-in; owners can reset it', async () => {
    const email = uniqueEmail('staff');
    const added = await owner.post<{ id: string }>('/v1/users', {
      name: 'Charles Babbage',
      email,
      password: STAFF_PASSWORD,
      role: 'staff',
    });
    expect(added.status).toBe(201);
    const staffId = added.body.id;
    const staff = anonymous.withToken((await anonymous.signIn(email)).accessToken);
    expect(
      (await staff.put('/v1/settings/security', { portalTwoStep: 'required', staffTwoStep: 'required' })).status,
    ).toBe(403);
    expect(
      (await owner.put('/v1/settings/security', { portalTwoStep: 'sometimes', staffTwoStep: 'required' })).status,
    ).toBe(400);
    const saved = await owner.put('/v1/settings/security', { portalTwoStep: 'required', staffTwoStep: 'required' });
    expect(saved.body).toEqual({ portalTwoStep: 'required', staffTwoStep: 'required' });

    const login = await anonymous.post<Challenge>('/v1/auth/login', { email, password: STAFF_PASSWORD });
    expect(login.status).toBe(202);
    expect(login.body.method).toBe('totp-enrol');
    const enrol = await anonymous.post<{ otpauthUri: string }>('/v1/auth/two-step/enrol', {
      challengeToken: login.body.challengeToken,
    });
    expect(enrol.status).toBe(200);
    const secret = secretOf(enrol.body.otpauthUri);
    secrets.push(secret);
    const done = await anonymous.post<{ accessToken: string; recoveryCodes: string[] }>('/v1/auth/two-step', {
      challengeToken: login.body.challengeToken,
      code: await freshTotp(secret),
    });
    expect(done.status).toBe(200);
    expect(done.body.recoveryCodes).toHaveLength(10);
    secrets.push(...done.body.recoveryCodes);

    // Only an owner resets a colleague's second step.
    expect((await staff.post(`/v1/users/${staffId}/two-step/reset`)).status).toBe(403);
    expect((await owner.post(`/v1/users/${staffId}/two-step/reset`)).status).toBe(204);
    const [reset] = await tap.waitFor(
      (m) => m.topic === String(Topic.TwoStepChanged) && d(m).accountId === staffId && d(m).change === 'reset',
    );
    expect(reset.value.data).toMatchObject({ by: enrolment(owner) });
    const again = await anonymous.post<Challenge>('/v1/auth/login', { email, password: STAFF_PASSWORD });
    expect(again.body.method).toBe('totp-enrol');
    await owner.put('/v1/settings/security', { portalTwoStep: 'required', staffTwoStep: 'optional' });
  }, 180_000);

  it('a firm created before two-step sign-in (no stored setting) signs in as before', async () => {
    const legacy = await anonymous.signUpFirm();
    const legacyOwner = anonymous.withToken(legacy.accessToken);
    const mongo = await new MongoClient(env.MONGO_URL ?? '').connect();
    try {
      await mongo
        .db(`${env.STACK_PREFIX}contacts`)
        .collection('firms')
        .updateOne({ _id: legacy.firm.id as unknown as never }, { $unset: { security: '' } });
    } finally {
      await mongo.close();
    }
    expect((await legacyOwner.get('/v1/settings/security')).body).toEqual({
      portalTwoStep: 'off',
      staffTwoStep: 'optional',
    });
    const client = await legacyOwner.post<{ id: string }>('/v1/clients', { name: 'Old household', kind: 'individual' });
    const old = await onboardContact(
      legacyOwner,
      anonymous,
      { tap, linkKey: env.INVITE_LINK_KEY ?? '' },
      client.body.id,
    );
    const login = await anonymous.post('/v1/portal/auth/login', {
      firm: legacy.firm.slug,
      email: old.email,
      password: PORTAL_PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(
      (await anonymous.post('/v1/auth/login', { email: legacy.user.email, password: STAFF_PASSWORD })).status,
    ).toBe(200);
  }, 180_000);

  it('no secret (code, challenge, device token, TOTP secret, recovery code) in any event', () => {
    const published = JSON.stringify(tap.messages.filter((m) => m.topic !== String(Topic.InviteEmailRequested)));
    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(published).not.toContain(secret);
    // The code command carries the code sealed only.
    expect(tap.messages.some((m) => m.topic === String(Topic.TwoStepCodeRequested))).toBe(true);
  });
});
