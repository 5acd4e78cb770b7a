import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@cp/contracts';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
const PUBLIC = 'cp:public';

/** Marks a route that needs no internal token (health probes). */
export const Public = () => SetMetadata(PUBLIC, true);

/**
 * Services are reached only by the gateway: each call carries the shared internal token.
 * A second line of defence behind the network policy, not a replacement for it.
 */
@Injectable()
export class InternalTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    private readonly reflector: Reflector,
    token: string,
  ) {
    this.expected = Buffer.from(token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const given = Buffer.from(context.switchToHttp().getRequest<Request>().header(INTERNAL_TOKEN_HEADER) ?? '');
    if (given.length === this.expected.length && timingSafeEqual(given, this.expected)) return true;
    throw new DomainError(ErrorCode.Unauthenticated, 'This service is internal; call it through the gateway.');
  }
}
