import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, ErrorCode, LoginDto, StaffRole } from '@cp/contracts';
import { validationPipe } from '@cp/platform';
import type { Request, Response } from 'express';
import { StaffPrincipal } from './principals';
import { STAFF_PASSWORD } from './staff-password.strategy';
import { PORTAL_JWT, STAFF_JWT } from './token-strategies';

/** Why a bearer token was refused, in words a client can act on; never which check failed inside. */
function refusedToken(info: unknown, audience: string): DomainError {
  if (info instanceof Error && info.name === 'TokenExpiredError') {
    return new DomainError(ErrorCode.Unauthenticated, 'The access token has expired; refresh it or sign in again.');
  }
  return new DomainError(ErrorCode.Unauthenticated, `A valid ${audience} access token is required.`);
}

/** RFC 6750: a 401 for a bearer-protected route says which scheme to use. */
function challenge(context: ExecutionContext, realm: string): void {
  context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', `Bearer realm="${realm}"`);
}

/**
 * Lets through only a valid staff access token (audience `staff`). passport's own failures
 * (missing, forged, expired, wrong audience) become 401 UNAUTHENTICATED problems.
 */
@Injectable()
export class StaffAuthGuard extends AuthGuard(STAFF_JWT) {
  override handleRequest<T = StaffPrincipal>(
    error: unknown,
    user: unknown,
    info: unknown,
    context: ExecutionContext,
  ): T {
    if (error instanceof DomainError) throw error;
    if (error || !user) {
      challenge(context, 'staff');
      throw refusedToken(info, 'staff');
    }
    return user as T;
  }
}

/** Lets through only a valid portal access token (audience `portal`). */
@Injectable()
export class PortalAuthGuard extends AuthGuard(PORTAL_JWT) {
  override handleRequest<T>(error: unknown, user: unknown, info: unknown, context: ExecutionContext): T {
    if (error instanceof DomainError) throw error;
    if (error || !user) {
      challenge(context, 'portal');
      throw refusedToken(info, 'portal');
    }
    return user as T;
  }
}

/**
 * Staff sign-in with email and password. Guards run before pipes, so the body is validated
 * here first with the shared LoginDto: a malformed sign-in answers 400 listing its fields like
 * every other route, and passport reads the normalized email.
 */
@Injectable()
export class StaffPasswordGuard extends AuthGuard(STAFF_PASSWORD) {
  private readonly body = validationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    req.body = (await this.body.transform(req.body, { type: 'body', metatype: LoginDto })) as LoginDto;
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: unknown): T {
    if (error instanceof Error) throw error; // the contacts service's 401 (or a 503), relayed as is
    if (error || !user) throw new DomainError(ErrorCode.Unauthenticated, 'Email or password is incorrect.');
    return user as T;
  }
}

const ROLES = 'cp:staff-roles';

/** Restricts a staff route to these roles (the contacts service re-checks where it matters). */
export const StaffRoles = (...roles: StaffRole[]) => SetMetadata(ROLES, roles);

/** Runs after StaffAuthGuard: the role comes from the verified token. */
@Injectable()
export class StaffRolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles?.length) return true;
    const staff = context.switchToHttp().getRequest<{ user?: StaffPrincipal }>().user;
    if (staff && roles.includes(staff.role)) return true;
    throw new DomainError(ErrorCode.Forbidden, `Only ${roles.join(' or ')} users can do this.`);
  }
}
