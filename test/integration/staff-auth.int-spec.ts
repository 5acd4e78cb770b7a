import { JwtService } from '@nestjs/jwt';
import { StaffUserView } from '@cp/contracts';
import {
  GatewayClient,
  Problem,
  randomClientAddress,
  STAFF_PASSWORD,
  StaffTokens,
  GatewayTestStack,
  testStackEnv,
  uniqueEmail,
  uniqueSuffix,
} from '@cp/testing';
import { randomBytes } from 'node:crypto';
import { GatewayConfig } from '../../apps/gateway/src/config';

// Staff accounts through the gateway: sign-up, sign-in, access tokens and their audience,
// refresh-token rotation with reuse detection, roles, and the rate limits.
const JWT_SECRET = randomBytes(32).toString('base64url');
const jwt = new JwtService({ secret: JWT_SECRET });
const limits = new GatewayConfig();

function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number, code: string) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res).toMatchObject({ status, body: { status, code } });
}

interface AccessClaims {
  sub: string;
  aud: string;
  iss: string;
  firmId: string;
  role: string;
  iat: number;
  exp: number;
}

describe('staff sign-up, sign-in and sessions through the gateway', () => {
  // The gateway trusts one proxy hop here, so a test can speak from many client addresses.
  const stack = new GatewayTestStack(testStackEnv({ JWT_SECRET, TRUST_PROXY_HOPS: '1' }));
  let gateway: GatewayClient;

  beforeAll(async () => {
    await stack.startBehindGateway(['contacts']);
    gateway = new GatewayClient(stack.url('gateway'));
  }, 180_000);

  afterAll(async () => {
    await stack.stopAll();
  });

  describe('POST /v1/firms', () => {
    it('creates the firm and its owner, signed in, with a slug from the name', async () => {
      const suffix = uniqueSuffix();
      const email = uniqueEmail('Ada');
      const res = await gateway.post<Record<string, unknown>>('/v1/firms', {
        firmName: `  Lovelace & Co. CPAs ${suffix} `,
        name: 'Ada Lovelace',
        email: `  ${email.toUpperCase()} `,
        password: STAFF_PASSWORD,
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        firm: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          name: `Lovelace & Co. CPAs ${suffix}`,
          slug: `lovelace-co-cpas-${suffix}`,
          // No branding until the firm sets it (PATCH /v1/firm/branding).
          logoUrl: null,
          brandColor: null,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
        user: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          firmId: (res.body.firm as { id: string }).id,
          name: 'Ada Lovelace',
          email: email.toLowerCase(),
          role: 'owner',
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: limits.ACCESS_TOKEN_TTL_SECONDS,
      });
      expect(JSON.stringify(res.body)).not.toContain('passwordHash');

      const user = res.body.user as StaffUserView;
      const claims = jwt.verify<AccessClaims>(res.body.accessToken as string);
      expect(claims).toMatchObject({
        sub: user.id,
        aud: 'staff',
        iss: 'client-portal',
        firmId: user.firmId,
        role: 'owner',
      });
      expect(claims.exp - claims.iat).toBe(limits.ACCESS_TOKEN_TTL_SECONDS);
    });

    it('refuses an email that already has a staff account: 409 STAFF_EMAIL_TAKEN', async () => {
      const email = uniqueEmail('taken');
      await gateway.signUpFirm({ email });
      const again = await gateway.post<Problem>('/v1/firms', {
        firmName: `Another firm ${uniqueSuffix()}`,
        name: 'Someone Else',
        email: email.toUpperCase(),
        password: STAFF_PASSWORD,
      });
      expectProblem(again, 409, 'STAFF_EMAIL_TAKEN');
    });

    it('lists each invalid or unknown field', async () => {
      const res = await gateway.post<Problem>('/v1/firms', {
        firmName: 'X',
        email: 'not-an-email',
        password: 'short',
        plan: 'enterprise',
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.errors?.map((e) => e.field);
      expect(new Set(fields)).toEqual(new Set(['firmName', 'name', 'email', 'password', 'plan']));
    });
  });

  describe('POST /v1/auth/login and GET /v1/me', () => {
    it('signs in with the email in any case and shows the user and firm', async () => {
      const owner = await gateway.signUpFirm();
      const res = await gateway.post<StaffTokens>('/v1/auth/login', {
        email: ` ${owner.user.email.toUpperCase()}`,
        password: STAFF_PASSWORD,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: limits.ACCESS_TOKEN_TTL_SECONDS,
        user: owner.user,
      });
      expect(res.body.refreshToken).not.toBe(owner.refreshToken);

      const me = await gateway.withToken(res.body.accessToken).get('/v1/me');
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ user: owner.user, firm: owner.firm });
    });

    it('answers an unknown email exactly like a wrong password', async () => {
      const owner = await gateway.signUpFirm();
      const wrong = await gateway.post<Problem>('/v1/auth/login', {
        email: owner.user.email,
        password: 'not the password at all',
      });
      const unknown = await gateway.post<Problem>('/v1/auth/login', {
        email: uniqueEmail('nobody'),
        password: 'not the password at all',
      });
      expectProblem(wrong, 401, 'UNAUTHENTICATED');
      expectProblem(unknown, 401, 'UNAUTHENTICATED');
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.body.detail).toBe('Email or password is incorrect.');
    });

    it('validates the sign-in body before checking anything: 400 naming the fields', async () => {
      const res = await gateway.post<Problem>('/v1/auth/login', { email: 'nope', remember: true });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(new Set(res.body.errors?.map((e) => e.field))).toEqual(new Set(['email', 'password', 'remember']));
    });
  });

  describe('access tokens', () => {
    let owner: Awaited<ReturnType<GatewayClient['signUpFirm']>>;
    beforeAll(async () => {
      owner = await gateway.signUpFirm();
    });

    const staffClaims = () => ({ firmId: owner.firm.id, role: 'owner' });

    it('refuses a missing token with 401 and a Bearer challenge', async () => {
      const res = await gateway.get<Problem>('/v1/me');
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="staff"');
    });

    it('refuses a portal-audience token signed with the right secret', async () => {
      // Everything a staff token has, and the portal claims too: only the audience is wrong.
      const portal = jwt.sign(
        { ...staffClaims(), contactId: 'contact-1' },
        { subject: owner.user.id, audience: 'portal', issuer: 'client-portal', expiresIn: 900 },
      );
      expectProblem(await gateway.withToken(portal).get('/v1/me'), 401, 'UNAUTHENTICATED');
      // The same claims with the staff audience would pass: only the audience differs.
      const staff = jwt.sign(staffClaims(), {
        subject: owner.user.id,
        audience: 'staff',
        issuer: 'client-portal',
        expiresIn: 900,
      });
      expect((await gateway.withToken(staff).get('/v1/me')).status).toBe(200);
    });

    it('refuses a tampered, a foreign, an unsigned, an expired and a wrong-issuer token', async () => {
      const [header, , signature] = owner.accessToken.split('.');
      const forgedPayload = Buffer.from(
        JSON.stringify({ ...jwt.decode<AccessClaims>(owner.accessToken), role: 'admin' }),
      ).toString('base64url');
      const tampered = `${header}.${forgedPayload}.${signature}`;
      const foreign = new JwtService({ secret: randomBytes(32).toString('base64url') }).sign(staffClaims(), {
        subject: owner.user.id,
        audience: 'staff',
        issuer: 'client-portal',
      });
      const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${forgedPayload}.`;
      const expired = jwt.sign(
        { ...staffClaims(), exp: Math.floor(Date.now() / 1000) - 60 },
        { subject: owner.user.id, audience: 'staff', issuer: 'client-portal' },
      );
      const otherIssuer = jwt.sign(staffClaims(), { subject: owner.user.id, audience: 'staff', issuer: 'elsewhere' });

      for (const token of [tampered, foreign, unsigned, expired, otherIssuer, 'not-a-jwt']) {
        expectProblem(await gateway.withToken(token).get('/v1/me'), 401, 'UNAUTHENTICATED');
      }
      const expiredRes = await gateway.withToken(expired).get<Problem>('/v1/me');
      expect(expiredRes.body.detail).toMatch(/expired/);
    });

    it('refuses a token whose user no longer exists in that firm', async () => {
      const ghost = jwt.sign(staffClaims(), {
        subject: '00000000-0000-4000-8000-000000000000',
        audience: 'staff',
        issuer: 'client-portal',
        expiresIn: 900,
      });
      expectProblem(await gateway.withToken(ghost).get('/v1/me'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('POST /v1/auth/refresh', () => {
    const refresh = (refreshToken: string) => gateway.post<StaffTokens & Problem>('/v1/auth/refresh', { refreshToken });

    it('rotates on every use; a reused token is refused and ends its whole family', async () => {
      const owner = await gateway.signUpFirm();
      // A second, independent session of the same user (another device).
      const otherDevice = await gateway.signIn(owner.user.email);

      const first = await refresh(owner.refreshToken);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: limits.ACCESS_TOKEN_TTL_SECONDS,
        user: owner.user,
      });
      expect(first.body.refreshToken).not.toBe(owner.refreshToken);
      expect((await gateway.withToken(first.body.accessToken).get('/v1/me')).status).toBe(200);

      const second = await refresh(first.body.refreshToken);
      expect(second.status).toBe(200);

      // The first token again: someone holds a copy. Refused, and the newest token dies with it.
      const reused = await refresh(owner.refreshToken);
      expectProblem(reused, 401, 'UNAUTHENTICATED');
      expectProblem(await refresh(second.body.refreshToken), 401, 'UNAUTHENTICATED');
      expectProblem(await refresh(first.body.refreshToken), 401, 'UNAUTHENTICATED');

      // The other device's family is untouched.
      const elsewhere = await refresh(otherDevice.refreshToken);
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.body.user.id).toBe(owner.user.id);
    });

    it('refuses an unknown token with 401 and a malformed body with 400', async () => {
      expectProblem(
        await refresh(`${'0'.repeat(36)}.${randomBytes(32).toString('base64url')}`),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(await refresh('short'), 400, 'VALIDATION_FAILED');
      expectProblem(await gateway.post('/v1/auth/refresh', {}), 400, 'VALIDATION_FAILED');
    });
  });

  describe('staff users and roles', () => {
    it('owner adds an admin, the admin adds staff, staff may not add anyone', async () => {
      const owner = await gateway.signUpFirm();
      const asOwner = gateway.withToken(owner.accessToken);

      const adminEmail = uniqueEmail('admin');
      const admin = await asOwner.post<StaffUserView>('/v1/users', {
        name: 'Grace Hopper',
        email: adminEmail,
        password: STAFF_PASSWORD,
        role: 'admin',
      });
      expect(admin.status).toBe(201);
      expect(admin.body).toEqual({
        id: expect.any(String),
        firmId: owner.firm.id,
        name: 'Grace Hopper',
        email: adminEmail,
        role: 'admin',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      const adminSession = await gateway.signIn(adminEmail);
      expect(jwt.verify<AccessClaims>(adminSession.accessToken)).toMatchObject({ role: 'admin', sub: admin.body.id });
      const staffEmail = uniqueEmail('staff');
      const staff = await gateway.withToken(adminSession.accessToken).post<StaffUserView>('/v1/users', {
        name: 'Charles Babbage',
        email: staffEmail,
        password: STAFF_PASSWORD,
        role: 'staff',
      });
      expect(staff.status).toBe(201);
      expect(staff.body.role).toBe('staff');

      const staffSession = await gateway.signIn(staffEmail);
      const refused = await gateway.withToken(staffSession.accessToken).post<Problem>('/v1/users', {
        name: 'Mallory',
        email: uniqueEmail('mallory'),
        password: STAFF_PASSWORD,
        role: 'admin',
      });
      expectProblem(refused, 403, 'FORBIDDEN');

      // Everyone in the firm can see the list; it holds exactly the three of them.
      const list = await gateway.withToken(staffSession.accessToken).get<{ items: StaffUserView[] }>('/v1/users');
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: expect.any(Array), nextCursor: null });
      expect(list.body.items.map((u) => [u.email, u.role]).sort()).toEqual(
        [
          [owner.user.email, 'owner'],
          [adminEmail, 'admin'],
          [staffEmail, 'staff'],
        ].sort(),
      );
      const one = await gateway.withToken(staffSession.accessToken).get(`/v1/users/${admin.body.id}`);
      expect(one).toMatchObject({ status: 200, body: admin.body });
      expectProblem(await asOwner.get('/v1/users/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
      expectProblem(await asOwner.get('/v1/users/not*an*id'), 404, 'NOT_FOUND');
    });

    it('refuses a taken email (409), the owner role and unknown fields (400)', async () => {
      const owner = await gateway.signUpFirm();
      const other = await gateway.signUpFirm();
      const asOwner = gateway.withToken(owner.accessToken);
      const taken = await asOwner.post('/v1/users', {
        name: 'Copy',
        email: other.user.email,
        password: STAFF_PASSWORD,
        role: 'staff',
      });
      expectProblem(taken, 409, 'STAFF_EMAIL_TAKEN');

      const invalid = await asOwner.post<Problem>('/v1/users', {
        name: 'Second Owner',
        email: uniqueEmail('owner2'),
        password: STAFF_PASSWORD,
        role: 'owner',
        firmId: other.firm.id,
      });
      expectProblem(invalid, 400, 'VALIDATION_FAILED');
      expect(new Set(invalid.body.errors?.map((e) => e.field))).toEqual(new Set(['role', 'firmId']));
      expect((await asOwner.get<{ items: unknown[] }>('/v1/users')).body.items).toHaveLength(1);
    });

    it('needs a staff token for every staff route', async () => {
      for (const [method, path] of [
        ['GET', '/v1/users'],
        ['POST', '/v1/users'],
        ['GET', '/v1/clients'],
        ['POST', '/v1/clients'],
        ['GET', '/v1/contacts/00000000-0000-4000-8000-000000000000'],
      ] as const) {
        const res = method === 'GET' ? await gateway.get(path) : await gateway.post(path, {});
        expectProblem(res, 401, 'UNAUTHENTICATED');
      }
    });
  });

  describe('sign-in rate limits', () => {
    const wrongPassword = 'definitely not the password';

    it(`locks an account after ${limits.LOGIN_RATE_LIMIT_PER_ACCOUNT} attempts a minute, from any address`, async () => {
      const owner = await gateway.signUpFirm();
      for (let i = 0; i < limits.LOGIN_RATE_LIMIT_PER_ACCOUNT; i++) {
        const attempt = await gateway
          .from(randomClientAddress())
          .post('/v1/auth/login', { email: owner.user.email, password: wrongPassword });
        expectProblem(attempt, 401, 'UNAUTHENTICATED');
      }
      // Even the right password, from a new address, is refused until the window passes.
      const limited = await gateway
        .from(randomClientAddress())
        .post<Problem>('/v1/auth/login', { email: owner.user.email.toUpperCase(), password: STAFF_PASSWORD });
      expectProblem(limited, 429, 'RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);

      // Other accounts are not affected; the locked one keeps its existing sessions.
      const other = await gateway.signUpFirm();
      expect(
        (
          await gateway.from(randomClientAddress()).post('/v1/auth/login', {
            email: other.user.email,
            password: STAFF_PASSWORD,
          })
        ).status,
      ).toBe(200);
      expect((await gateway.withToken(owner.accessToken).get('/v1/me')).status).toBe(200);
    });

    it('limits an unknown email exactly like a known one', async () => {
      const email = uniqueEmail('ghost');
      const statuses: number[] = [];
      for (let i = 0; i <= limits.LOGIN_RATE_LIMIT_PER_ACCOUNT; i++) {
        statuses.push(
          (await gateway.from(randomClientAddress()).post('/v1/auth/login', { email, password: wrongPassword })).status,
        );
      }
      expect(statuses).toEqual([...Array<number>(limits.LOGIN_RATE_LIMIT_PER_ACCOUNT).fill(401), 429]);
    });

    it(`limits one address to ${limits.LOGIN_RATE_LIMIT_PER_ADDRESS} attempts a minute, whatever the emails`, async () => {
      const brute = gateway.from(randomClientAddress());
      for (let i = 0; i < limits.LOGIN_RATE_LIMIT_PER_ADDRESS; i++) {
        const attempt = await brute.post('/v1/auth/login', { email: uniqueEmail('guess'), password: wrongPassword });
        expect(attempt.status).toBe(401);
      }
      const limited = await brute.post<Problem>('/v1/auth/login', {
        email: uniqueEmail('guess'),
        password: wrongPassword,
      });
      expectProblem(limited, 429, 'RATE_LIMITED');
      expect(limited.body.detail).toMatch(/^Too many requests; try again in \d+ seconds\.$/);

      // Other routes from that address still work: the sign-in limits apply to sign-in only.
      const owner = await gateway.signUpFirm();
      expect((await brute.withToken(owner.accessToken).get('/v1/me')).status).toBe(200);
    });
  });

  describe('request rate limit', () => {
    it(`limits one address to ${limits.RATE_LIMIT_PER_MINUTE} requests a minute on every route; another address is counted apart`, async () => {
      const owner = await gateway.signUpFirm();
      const busy = gateway.from(randomClientAddress()).withToken(owner.accessToken);
      // A minute's allowance in a few seconds, 50 at a time.
      for (let sent = 0; sent < limits.RATE_LIMIT_PER_MINUTE; sent += 50) {
        const count = Math.min(50, limits.RATE_LIMIT_PER_MINUTE - sent);
        const batch = await Promise.all(Array.from({ length: count }, () => busy.get('/v1/me')));
        expect(batch.map((r) => r.status).filter((status) => status !== 200)).toEqual([]);
      }
      const limited = await busy.get<Problem>('/v1/clients');
      expectProblem(limited, 429, 'RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

      // Another client behind the same proxy has its own allowance.
      expect((await gateway.from(randomClientAddress()).withToken(owner.accessToken).get('/v1/clients')).status).toBe(
        200,
      );
    });
  });
});
