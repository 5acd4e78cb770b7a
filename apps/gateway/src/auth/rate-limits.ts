import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import { DomainError, ErrorCode } from '@cp/contracts';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { GatewayConfig } from '../config';

const MINUTE_MS = 60_000;
const SIGN_IN = 'cp:sign-in-attempt';

/** Marks a route where a password is tried: the per-address and per-account limits apply there. */
export const SignInAttempt = () => SetMetadata(SIGN_IN, true);

function isSignIn(context: ExecutionContext): boolean {
  const marked: unknown = Reflect.getMetadata(SIGN_IN, context.getHandler());
  return marked === true;
}

const RECOVERY = 'cp:account-recovery';

/**
 * Marks a route that sends an email or changes a password (reset, its confirmation, a new-link
 * request, a signed-in change): the recovery limits apply there, per address and per account.
 */
export const AccountRecovery = () => SetMetadata(RECOVERY, true);

function isRecovery(context: ExecutionContext): boolean {
  const marked: unknown = Reflect.getMetadata(RECOVERY, context.getHandler());
  return marked === true;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

/**
 * The account a recovery request is about, from the raw body (before validation, so an unknown
 * account is limited like a known one): the email (and firm), else the link's token (hashed: a
 * counter key is no place for a secret), else the bearer token of a signed-in change.
 */
export function recoveryAccount(req: Record<string, unknown>): string {
  const body = req.body as { email?: unknown; firm?: unknown; token?: unknown } | undefined;
  if (typeof body?.email === 'string') {
    const firm = typeof body.firm === 'string' ? body.firm.trim().toLowerCase() : '';
    return `email:${firm}/${body.email.trim().toLowerCase()}`;
  }
  if (typeof body?.token === 'string') return `token:${digest(body.token)}`;
  const headers = req.headers as Record<string, unknown> | undefined;
  const authorization = headers?.authorization;
  return typeof authorization === 'string' ? `session:${digest(authorization)}` : 'account:(none)';
}

/** Liveness and readiness probes come from the orchestrator; limiting them would flap the pod. */
const PROBES = new Set(['/health', '/ready']);
const isProbe = (context: ExecutionContext) => PROBES.has(context.switchToHttp().getRequest<Request>().path);

/**
 * The account a sign-in names, normalized like LoginDto does. Read from the raw body because the
 * limit runs before validation: an unknown email is limited exactly like a known one, so the
 * answers do not tell them apart.
 */
export function signInAccount(req: Record<string, unknown>): string {
  const body = req.body as { email?: unknown; challengeToken?: unknown } | undefined;
  // A second step names its sign-in by the challenge (whose own limit is five codes).
  if (typeof body?.challengeToken === 'string') return `challenge:${body.challengeToken.slice(0, 64)}`;
  return typeof body?.email === 'string' ? `email:${body.email.trim().toLowerCase()}` : 'email:(none)';
}

/**
 * Fixed windows (one minute unless said):
 * - `default`: every /v1 request, per client address across all routes;
 * - `per-address`: sign-in attempts per client address;
 * - `per-account`: sign-in attempts per email, whatever the address, against password guessing
 *   spread over many addresses;
 * - `recovery-per-address` / `recovery-per-account` (15 minutes): password reset, its confirmation,
 *   new-link requests and password changes (see AccountRecovery).
 * Counters live in this process: with several replicas each enforces its own share.
 */
export function rateLimits(config: GatewayConfig): ThrottlerModuleOptions {
  const signInOnly = (context: ExecutionContext) => !isSignIn(context);
  return {
    throttlers: [
      {
        name: 'default',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_PER_MINUTE,
        skipIf: isProbe,
        generateKey: (_context, tracker, name) => `${name}:${tracker}`,
      },
      { name: 'per-address', ttl: MINUTE_MS, limit: config.LOGIN_RATE_LIMIT_PER_ADDRESS, skipIf: signInOnly },
      {
        name: 'per-account',
        ttl: MINUTE_MS,
        limit: config.LOGIN_RATE_LIMIT_PER_ACCOUNT,
        skipIf: signInOnly,
        getTracker: signInAccount,
      },
      {
        name: 'recovery-per-address',
        ttl: MINUTE_MS,
        limit: config.RECOVERY_RATE_LIMIT_PER_ADDRESS,
        skipIf: (context) => !isRecovery(context),
      },
      {
        name: 'recovery-per-account',
        ttl: 15 * MINUTE_MS,
        limit: config.RECOVERY_RATE_LIMIT_PER_ACCOUNT,
        skipIf: (context) => !isRecovery(context),
        getTracker: recoveryAccount,
      },
    ],
  };
}

/** The throttler, answering 429 RATE_LIMITED problem+json with a standard Retry-After. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new DomainError(ErrorCode.RateLimited, `Too many requests; try again in ${seconds} seconds.`);
  }
}
