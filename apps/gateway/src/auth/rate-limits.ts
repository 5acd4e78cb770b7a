import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import { DomainError, ErrorCode } from '@cp/contracts';
import type { Request, Response } from 'express';
import { GatewayConfig } from '../config';

const MINUTE_MS = 60_000;
const SIGN_IN = 'cp:sign-in-attempt';

/** Marks a route where a password is tried: the per-address and per-account limits apply there. */
export const SignInAttempt = () => SetMetadata(SIGN_IN, true);

function isSignIn(context: ExecutionContext): boolean {
  const marked: unknown = Reflect.getMetadata(SIGN_IN, context.getHandler());
  return marked === true;
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
 * Three fixed one-minute windows:
 * - `default`: every /v1 request, per client address across all routes;
 * - `per-address`: sign-in attempts per client address;
 * - `per-account`: sign-in attempts per email, whatever the address, against password guessing
 *   spread over many addresses.
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
