import { GatewayClient } from './gateway-client';
import { HttpResult } from './http';
import { Mailbox } from './mailbox';

/** What POST /v1/portal/auth/login answers: tokens (200) or a challenge (202). */
export interface PortalSignInAnswer {
  accessToken?: string;
  refreshToken?: string;
  expiresIn?: number;
  challengeToken?: string;
  method?: 'email';
  code?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The six-digit code in a sign-in code email. */
export function signInCodeIn(text: string): string {
  const match = /sign-in code is (\d{6})/.exec(text);
  if (!match) throw new Error('no sign-in code in the email');
  return match[1];
}

/** The newest sign-in code email to `address` other than the `seen` ones (Mailpit lists newest first). */
export async function nextSignInCode(mailbox: Mailbox, address: string, seen: Set<string>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fresh = (await mailbox.to(address)).filter((m) => m.Subject.includes('sign-in code') && !seen.has(m.ID));
    if (fresh.length > 0) {
      const message = await mailbox.read(fresh[0].ID);
      return { code: signInCodeIn(message.Text), messageId: message.ID };
    }
    if (Date.now() > deadline) throw new Error(`no sign-in code email to ${address}`);
    await sleep(250);
  }
}

/** The ids of the sign-in code emails already in the inbox for `address`. */
export async function signInCodesSeen(mailbox: Mailbox, address: string): Promise<Set<string>> {
  return new Set((await mailbox.to(address)).filter((m) => m.Subject.includes('sign-in code')).map((m) => m.ID));
}

/**
 * A portal sign-in as a contact does it: the password, then (when the firm asks for it) the
 * code from the email in Mailpit. Answers the final HTTP result (200 with tokens when it worked).
 */
export async function portalSignIn(
  client: GatewayClient,
  mailbox: Mailbox,
  credentials: { firm: string; email: string; password: string },
  options: { trustDevice?: boolean } = {},
): Promise<HttpResult<PortalSignInAnswer>> {
  const seen = await signInCodesSeen(mailbox, credentials.email);
  const login = await client.post<PortalSignInAnswer>('/v1/portal/auth/login', credentials);
  if (login.status !== 202) return login;
  const { code } = await nextSignInCode(mailbox, credentials.email, seen);
  return client.post<PortalSignInAnswer>('/v1/portal/auth/two-step', {
    challengeToken: login.body.challengeToken,
    code,
    ...(options.trustDevice ? { trustDevice: true } : {}),
  });
}
