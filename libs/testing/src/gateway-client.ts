import { FirmView, StaffUserView } from '@cp/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { http, HttpResult } from './http';

/** An error answer as clients read it (problem+json). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { field: string; message: string }[];
  contactId?: string;
}

/** What POST /v1/firms answers. */
export interface SignedUpFirm {
  firm: FirmView;
  user: StaffUserView;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** What POST /v1/auth/login and /v1/auth/refresh answer. */
export interface StaffTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: StaffUserView;
}

export const STAFF_PASSWORD = 'correct horse battery staple';

/** An email no other test run has used: the test databases outlive a run. */
export function uniqueEmail(label = 'staff'): string {
  return `${label}-${randomUUID()}@example.com`;
}

/** A short lower-case suffix for names that must be unique across runs (firm slugs). */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A documentation-range IPv4 address (TEST-NET-3), different on each call, for X-Forwarded-For. */
export function randomClientAddress(): string {
  const [a, b] = randomBytes(2);
  return `203.0.${a}.${b === 0 ? 1 : b}`;
}

type Call<T> = Promise<HttpResult<T>>;

/** Calls to the gateway as one client: a base URL, optionally a staff access token. */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The same client signed in with another access token. */
  withToken(token: string | undefined): GatewayClient {
    return new GatewayClient(this.baseUrl, token, this.headers);
  }

  /** The same client sending these headers too (a cookie, a user agent). */
  withHeaders(extra: Record<string, string>): GatewayClient {
    return new GatewayClient(this.baseUrl, this.token, { ...this.headers, ...extra });
  }

  /** The same client seen from another address (the gateway trusts X-Forwarded-For in tests). */
  from(address: string): GatewayClient {
    return new GatewayClient(this.baseUrl, this.token, { ...this.headers, 'x-forwarded-for': address });
  }

  get<T = Record<string, unknown>>(path: string): Call<T> {
    return http<T>('GET', `${this.baseUrl}${path}`, { token: this.token, headers: this.headers });
  }

  post<T = Record<string, unknown>>(path: string, body?: unknown): Call<T> {
    return http<T>('POST', `${this.baseUrl}${path}`, { token: this.token, headers: this.headers, body });
  }

  patch<T = Record<string, unknown>>(path: string, body?: unknown): Call<T> {
    return http<T>('PATCH', `${this.baseUrl}${path}`, { token: this.token, headers: this.headers, body });
  }

  put<T = Record<string, unknown>>(path: string, body?: unknown): Call<T> {
    return http<T>('PUT', `${this.baseUrl}${path}`, { token: this.token, headers: this.headers, body });
  }

  delete<T = Record<string, unknown>>(path: string): Call<T> {
    return http<T>('DELETE', `${this.baseUrl}${path}`, { token: this.token, headers: this.headers });
  }

  /** Signs up a new firm (unique name and email) and returns the owner's session. */
  async signUpFirm(
    overrides: Partial<{ firmName: string; name: string; email: string; password: string }> = {},
  ): Promise<SignedUpFirm> {
    const res = await this.post<SignedUpFirm>('/v1/firms', {
      firmName: `Test Firm ${uniqueSuffix()}`,
      name: 'Ada Lovelace',
      email: uniqueEmail('owner'),
      password: STAFF_PASSWORD,
      ...overrides,
    });
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Signs in; throws unless the gateway answers 200. */
  async signIn(email: string, password = STAFF_PASSWORD): Promise<StaffTokens> {
    const res = await this.post<StaffTokens>('/v1/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}
