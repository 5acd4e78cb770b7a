import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainError, ErrorCode, StaffRole } from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import type { Request } from 'express';

/** Every access token names this issuer; a token from anywhere else is refused. */
export const TOKEN_ISSUER = 'client-portal';

/** Staff and portal tokens are told apart by audience, so neither opens the other's routes. */
export const Audience = { Staff: 'staff', Portal: 'portal' } as const;

/** A signed-in firm staff member, as established from a verified staff access token. */
export interface StaffPrincipal {
  kind: 'staff';
  userId: string;
  role: StaffRole;
  /** The tenant every call is made for; it comes from the token, never from the request. */
  scope: FirmScope;
}

/** A signed-in contact, as established from a verified portal access token. */
export interface PortalPrincipal {
  kind: 'portal';
  portalAccountId: string;
  contactId: string;
  scope: FirmScope;
}

function principalOf(context: ExecutionContext): unknown {
  return context.switchToHttp().getRequest<Request & { user?: unknown }>().user;
}

function isPrincipal<K extends 'staff' | 'portal'>(value: unknown, kind: K): value is { kind: K } {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === kind;
}

/** The staff member a StaffAuthGuard let through. */
export const CurrentStaff = createParamDecorator((_: unknown, context: ExecutionContext): StaffPrincipal => {
  const user = principalOf(context);
  // Reaching here without the guard is a wiring bug; refuse rather than act without a tenant.
  if (!isPrincipal(user, 'staff')) throw new DomainError(ErrorCode.Unauthenticated, 'Sign in as firm staff.');
  return user as StaffPrincipal;
});

/** The contact a PortalAuthGuard let through. */
export const CurrentContact = createParamDecorator((_: unknown, context: ExecutionContext): PortalPrincipal => {
  const user = principalOf(context);
  if (!isPrincipal(user, 'portal')) throw new DomainError(ErrorCode.Unauthenticated, 'Sign in to the portal.');
  return user as PortalPrincipal;
});
