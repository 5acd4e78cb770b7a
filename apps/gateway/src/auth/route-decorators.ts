import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ErrorCode, StaffRole } from '@cp/contracts';
import { ApiProblem } from '../dto/problems';
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
