// A browser session: the access token lives only in this object (memory); the refresh token is
// an httpOnly cookie the page never sees. Renewal is silent: shortly before the access token
// runs out, or when the API says 401, the refresh route is called with the cookie.

export type Audience = 'staff' | 'portal';

const ROUTES: Record<Audience, { refresh: string; logout: string }> = {
  staff: { refresh: '/v1/auth/refresh', logout: '/v1/auth/logout' },
  portal: { refresh: '/v1/portal/auth/refresh', logout: '/v1/portal/auth/logout' },
};

/** Asks the gateway to keep the refresh token in its cookie instead of the answer's body. */
export const COOKIE_TRANSPORT = { 'X-Session-Transport': 'cookie' } as const;

export interface Tokens {
  accessToken: string;
  expiresIn: number;
}

type Listener = (signedIn: boolean) => void;

export class Session {
  private accessToken: string | null = null;
  private expiresAt = 0;
  private renewing: Promise<boolean> | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(readonly audience: Audience) {}

  get signedIn(): boolean {
    return this.accessToken !== null;
  }

  /** After sign up, sign in or accepting an invite: the answer's access token. */
  start(tokens: Tokens): void {
    this.accessToken = tokens.accessToken;
    // Renew a little early so a request never leaves with a token about to run out.
    this.expiresAt = Date.now() + Math.max(10, tokens.expiresIn - 30) * 1000;
    this.emit();
  }

  /** The access token to send now, renewed first when it is about to run out. */
  async token(): Promise<string | null> {
    if (this.accessToken && Date.now() >= this.expiresAt) await this.renew();
    return this.accessToken;
  }

  /** Trades the refresh cookie for a new access token; false when there is no session. */
  async renew(): Promise<boolean> {
    this.renewing ??= this.callRefresh().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async callRefresh(): Promise<boolean> {
    try {
      const res = await fetch(ROUTES[this.audience].refresh, {
        method: 'POST',
        headers: COOKIE_TRANSPORT,
        credentials: 'same-origin',
      });
      if (!res.ok) {
        this.end();
        return false;
      }
      this.start((await res.json()) as Tokens);
      return true;
    } catch {
      return false;
    }
  }

  /** Sign out: the gateway ends the refresh-token family and clears the cookie. */
  async signOut(): Promise<void> {
    try {
      await fetch(ROUTES[this.audience].logout, { method: 'POST', credentials: 'same-origin' });
    } finally {
      this.end();
    }
  }

  private end(): void {
    const was = this.signedIn;
    this.accessToken = null;
    this.expiresAt = 0;
    if (was) this.emit();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.signedIn);
  }
}
