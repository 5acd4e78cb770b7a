import {
  GatewayClient,
  GatewayTestStack,
  http,
  randomClientAddress,
  STAFF_PASSWORD,
  uniqueEmail,
  uniqueSuffix,
} from '@cp/testing';

const PASSWORD = STAFF_PASSWORD;
const COOKIE = { 'x-session-transport': 'cookie' };

/** The `name=value` of a Set-Cookie header, and its attributes in lower case. */
function parseSetCookie(headers: Headers, name: string) {
  const line = headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attributes] = line.split(';').map((part) => part.trim());
  return { value: pair.slice(name.length + 1), attributes: attributes.map((a) => a.toLowerCase()) };
}

// Browser sessions through the gateway: the refresh token travels only in an httpOnly cookie.
describe('browser sessions (refresh cookie)', () => {
  const stack = new GatewayTestStack();
  let gateway: string;
  let from: Record<string, string>;

  beforeAll(async () => {
    await stack.startBehindGateway(['contacts', 'invites']);
    gateway = stack.url('gateway');
    from = { 'x-forwarded-for': randomClientAddress() };
  }, 120_000);

  afterAll(() => stack.stopAll());

  it('sign up sets the cookie instead of the body; refresh with the cookie rotates it; sign out ends the family', async () => {
    const email = uniqueEmail('owner');
    const signedUp = await http<{ accessToken: string; refreshToken?: string }>('POST', `${gateway}/v1/firms`, {
      headers: { ...COOKIE, ...from },
      body: { firmName: `Cookie Firm ${uniqueSuffix()}`, name: 'Ada Lovelace', email, password: PASSWORD },
    });
    expect(signedUp.status).toBe(201);
    expect(signedUp.body.accessToken).toEqual(expect.any(String));
    expect(signedUp.body.refreshToken).toBeUndefined();
    const first = parseSetCookie(signedUp.headers, 'cp_staff_refresh');
    expect(first?.attributes).toEqual(expect.arrayContaining(['path=/v1/auth', 'httponly', 'samesite=strict']));
    // The test talks to 127.0.0.1: a loopback host gets no Secure flag, every other host does.
    expect(first?.attributes).not.toContain('secure');

    const refreshed = await http<{ accessToken: string; refreshToken?: string }>('POST', `${gateway}/v1/auth/refresh`, {
      headers: { cookie: `cp_staff_refresh=${first?.value}`, ...from },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).toBeUndefined();
    const second = parseSetCookie(refreshed.headers, 'cp_staff_refresh');
    expect(second?.value).toMatch(/.{20,}/);
    expect(second?.value).not.toBe(first?.value);
    expect((await new GatewayClient(gateway).withToken(refreshed.body.accessToken).get('/v1/me')).status).toBe(200);

    const out = await http('POST', `${gateway}/v1/auth/logout`, {
      headers: { cookie: `cp_staff_refresh=${second?.value}`, ...from },
    });
    expect(out.status).toBe(204);
    expect(parseSetCookie(out.headers, 'cp_staff_refresh')?.value).toBe('');
    const after = await http('POST', `${gateway}/v1/auth/refresh`, {
      headers: { cookie: `cp_staff_refresh=${second?.value}`, ...from },
    });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    // A refused cookie is cleared, so the page shows sign in.
    expect(parseSetCookie(after.headers, 'cp_staff_refresh')?.value).toBe('');
  });

  it('API clients keep the body: sign in returns the refresh token, and sign out takes it in the body', async () => {
    const api = new GatewayClient(gateway).from(randomClientAddress());
    const { user } = await api.signUpFirm();
    const login = await api.post<{ refreshToken: string }>('/v1/auth/login', { email: user.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.headers.getSetCookie()).toEqual([]);
    expect((await api.post('/v1/auth/logout', { refreshToken: login.body.refreshToken })).status).toBe(204);
    expect((await api.post('/v1/auth/refresh', { refreshToken: login.body.refreshToken })).status).toBe(401);
    // Signing out again, or with nothing, answers the same.
    expect((await api.post('/v1/auth/logout', { refreshToken: login.body.refreshToken })).status).toBe(204);
    expect((await api.post('/v1/auth/logout')).status).toBe(204);
  });
});
