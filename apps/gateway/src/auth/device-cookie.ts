import type { Request, Response } from 'express';
import { parse } from 'cookie';
import { refreshCookieOptions, refreshTokenToCookie, SessionAudience } from './refresh-cookie';

/**
 * "Trust this browser for 30 days": after a second step with `trustDevice`, the browser holds an
 * opaque device token (`<id>.<256-bit secret>`, only its hash stored by the service that owns
 * the account) in an httpOnly, SameSite=Strict cookie on the same path as the refresh cookie,
 * which covers the sign-in routes. The server can end it (password changed, second step reset).
 */
export const DEVICE_COOKIE: Record<SessionAudience, string> = {
  staff: 'cp_staff_device',
  portal: 'cp_portal_device',
};

const THIRTY_DAYS_MS = 30 * 24 * 3600_000;

export function deviceCookie(audience: SessionAudience, req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const value = parse(header)[DEVICE_COOKIE[audience]];
  return value && value.length <= 512 ? value : undefined;
}

export function setDeviceCookie(audience: SessionAudience, req: Request, res: Response, token: string): void {
  res.cookie(DEVICE_COOKIE[audience], token, { ...refreshCookieOptions(audience, req), maxAge: THIRTY_DAYS_MS });
}

/** A sign-in step's answer: tokens (200), or the second step that is due (202). */
export type SignInAnswer<T> = { status: 200; body: T; deviceToken?: string } | { status: 202; body: unknown };

/**
 * Sends a sign-in step's answer itself (the status depends on the outcome, which a route's fixed
 * status cannot say): the trusted-device cookie when one was issued, the refresh token in its
 * cookie when the browser asked for that.
 */
export function sendSignInAnswer<T>(
  audience: SessionAudience,
  answer: SignInAnswer<T>,
  req: Request,
  res: Response,
): void {
  if (answer.status === 200 && answer.deviceToken) setDeviceCookie(audience, req, res, answer.deviceToken);
  res.status(answer.status).json(refreshTokenToCookie(audience, req, res, answer.body));
}
