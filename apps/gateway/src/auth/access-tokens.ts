import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { StaffUserView } from '@cp/contracts';
import { GatewayConfig } from '../config';
import { Audience, TOKEN_ISSUER } from './principals';

/** Claims of a staff access token besides the registered ones (sub = the staff user's id). */
export interface StaffTokenClaims {
  firmId: string;
  role: StaffUserView['role'];
}

/** Claims of a portal access token (sub = the portal account's id). */
export interface PortalTokenClaims {
  contactId: string;
  firmId: string;
}

/**
 * Signs short-lived access tokens. Refresh tokens are opaque and live in the contacts service,
 * so a stolen access token is useful for minutes and a session can be ended there.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: GatewayConfig,
  ) {}

  /** Seconds an access token stays valid; clients refresh before then. */
  get ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  async forStaff(user: StaffUserView): Promise<string> {
    const claims: StaffTokenClaims = { firmId: user.firmId, role: user.role };
    return this.jwt.signAsync(claims, {
      subject: user.id,
      audience: Audience.Staff,
      issuer: TOKEN_ISSUER,
      algorithm: 'HS256',
      expiresIn: this.ttlSeconds,
    });
  }

  async forPortal(portalAccountId: string, claims: PortalTokenClaims): Promise<string> {
    return this.jwt.signAsync(claims, {
      subject: portalAccountId,
      audience: Audience.Portal,
      issuer: TOKEN_ISSUER,
      algorithm: 'HS256',
      expiresIn: this.ttlSeconds,
    });
  }
}
