import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiCookieAuth, ApiHeader } from '@nestjs/swagger';
import { parse } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';
import { catchError, map, Observable, throwError } from 'rxjs';

/**
 * Browser sessions. A web page must not hold a refresh token where scripts can read it, so the
 * gateway keeps it in an httpOnly, SameSite=Strict cookie (Secure except on localhost) whose
 * path covers only the refresh and sign-out routes; the page keeps the short-lived access token
 * in memory and renews it by calling refresh with no body.
 *
 * A request asks for this with `X-Session-Transport: cookie` (sign up, sign in, accept, refresh):
 * the answer then sets the cookie and leaves `refreshToken` out of the body. Refresh and sign out
 * without a `refreshToken` in the body use the cookie. API clients that send the token in the
 * body see no change.
 */
export type SessionAudience = 'staff' | 'portal';

export const SESSION_TRANSPORT_HEADER = 'x-session-transport';

export const REFRESH_COOKIE: Record<SessionAudience, { name: string; path: string }> = {
  staff: { name: 'cp_staff_refresh', path: '/v1/auth' },
  portal: { name: 'cp_portal_refresh', path: '/v1/portal/auth' },
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function refreshCookieOptions(audience: SessionAudience, req: Request): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    // Browsers treat http://localhost as secure for pages but a Secure cookie set over plain
    // http is dropped by some; everywhere else the cookie travels over TLS only.
    secure: !LOOPBACK.has(req.hostname),
    path: REFRESH_COOKIE[audience].path,
  };
}

/** The refresh token a browser holds in its cookie, if any. */
export function refreshCookie(audience: SessionAudience, req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[REFRESH_COOKIE[audience].name] || undefined;
}

export function clearRefreshCookie(audience: SessionAudience, req: Request, res: Response): void {
  res.clearCookie(REFRESH_COOKIE[audience].name, refreshCookieOptions(audience, req));
}

const wantsCookie = (req: Request) => req.headers[SESSION_TRANSPORT_HEADER] === 'cookie';

function hasBodyToken(req: Request): boolean {
  const body = req.body as { refreshToken?: unknown } | undefined;
  return typeof body?.refreshToken === 'string' && body.refreshToken.length > 0;
}

/**
 * With `X-Session-Transport: cookie` (or `always`), an answer's refresh token goes into the
 * cookie and out of the body. Routes that send their answer themselves call this too.
 */
export function refreshTokenToCookie(
  audience: SessionAudience,
  req: Request,
  res: Response,
  answer: unknown,
  always = false,
): unknown {
  if (!(always || wantsCookie(req)) || !answer || typeof answer !== 'object' || !('refreshToken' in answer))
    return answer;
  const { refreshToken, ...rest } = answer;
  if (typeof refreshToken === 'string') {
    res.cookie(REFRESH_COOKIE[audience].name, refreshToken, refreshCookieOptions(audience, req));
  }
  return rest;
}

@Injectable()
class RefreshCookieInterceptor implements NestInterceptor {
  constructor(
    private readonly audience: SessionAudience,
    private readonly readsCookie: boolean,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    // Interceptors run before validation: a cookie stands in for a body without a token.
    let fromCookie = false;
    if (this.readsCookie && !hasBodyToken(req)) {
      const token = refreshCookie(this.audience, req);
      if (token) {
        req.body = { ...((req.body as object | undefined) ?? {}), refreshToken: token };
        fromCookie = true;
      }
    }
    return next.handle().pipe(
      map((answer: unknown) => refreshTokenToCookie(this.audience, req, res, answer, fromCookie)),
      catchError((error: unknown) => {
        // A cookie the server refused is of no further use: drop it so the page shows sign-in.
        if (fromCookie) clearRefreshCookie(this.audience, req, res);
        return throwError(() => error);
      }),
    );
  }
}

/**
 * A route that issues a refresh token (sign up, sign in, accept, refresh): with
 * `X-Session-Transport: cookie` it goes into the cookie instead of the body. `readsCookie` for
 * the routes that spend one (refresh).
 */
export function RefreshCookie(audience: SessionAudience, { readsCookie = false } = {}) {
  const { name, path } = REFRESH_COOKIE[audience];
  return applyDecorators(
    UseInterceptors(new RefreshCookieInterceptor(audience, readsCookie)),
    ApiHeader({
      name: 'X-Session-Transport',
      required: false,
      enum: ['cookie'],
      description: `\`cookie\`: the refresh token is set as the httpOnly cookie \`${name}\` (path \`${path}\`, SameSite=Strict) and left out of the body.`,
    }),
    ...(readsCookie ? [ApiCookieAuth(name)] : []),
  );
}
