import { applyDecorators, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { ErrorCode, StaffRole } from '@cp/contracts';
import { ApiInvalidInput, ApiProblem } from '../dto/problems';
import { AcceptedRequestModel } from '../dto/views';
import { AccountRecovery } from './rate-limits';
import { PortalAuthGuard, StaffAuthGuard, StaffRoles, StaffRolesGuard } from './guards';

/** A route for signed-in firm staff, optionally only some roles. */
export function StaffRoute(...roles: StaffRole[]) {
  const roleRules = roles.length
    ? [StaffRoles(...roles), ApiProblem(403, ErrorCode.Forbidden, `only ${roles.join(' or ')} users may do this`)]
    : [];
  return applyDecorators(
    UseGuards(StaffAuthGuard, StaffRolesGuard),
    ApiBearerAuth('staff'),
    ApiProblem(401, ErrorCode.Unauthenticated, 'missing, invalid or expired staff access token'),
    ...roleRules,
  );
}

/** A route for signed-in portal contacts. */
export function PortalRoute() {
  return applyDecorators(
    UseGuards(PortalAuthGuard),
    ApiBearerAuth('portal'),
    ApiProblem(401, ErrorCode.Unauthenticated, 'missing, invalid or expired portal access token'),
  );
}

/**
 * A request about an account that must not tell whether the account exists (a reset link, a new
 * invite link): always 202 with the same body, limited as account recovery.
 */
export function RecoveryRequestRoute(path: string, summary: string, description: string) {
  return applyDecorators(
    Post(path),
    HttpCode(202),
    AccountRecovery(),
    ApiOperation({ summary, description }),
    ApiAcceptedResponse({ type: AcceptedRequestModel }),
    ApiInvalidInput(),
  );
}
