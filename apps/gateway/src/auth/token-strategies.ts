import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy as JwtStrategy, StrategyOptionsWithoutRequest } from 'passport-jwt';
import { createSecretKey } from 'node:crypto';
import { DomainError, ErrorCode, STAFF_ROLES, StaffRole } from '@cp/contracts';
import { firmScope, identifyActor } from '@cp/platform';
import { GatewayConfig } from '../config';
import { Audience, PortalPrincipal, StaffPrincipal, TOKEN_ISSUER } from './principals';

export const STAFF_JWT = 'staff-jwt';
export const PORTAL_JWT = 'portal-jwt';

/**
 * What both token kinds share: bearer header, our secret, our issuer, HS256 only (no "none").
 * The secret is a KeyObject made once: given a string, jsonwebtoken first tries it as a public
 * key on every verify and catches the failure, which was a fifth of the gateway's CPU per request.
 */
function bearerOptions(config: GatewayConfig, audience: string): StrategyOptionsWithoutRequest {
  const key = createSecretKey(Buffer.from(config.JWT_SECRET));
  return {
    jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
    // The types name string | Buffer; jsonwebtoken takes a KeyObject as it is.
    secretOrKeyProvider: (_request, _token, done) => done(null, key as unknown as Buffer),
    audience,
    issuer: TOKEN_ISSUER,
    algorithms: ['HS256'],
    ignoreExpiration: false,
  };
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 64;

/** A token we signed but whose claims do not fit is treated like a forged one. */
const malformed = () => new DomainError(ErrorCode.Unauthenticated, 'The access token is not valid.');

@Injectable()
export class StaffJwtStrategy extends PassportStrategy(JwtStrategy, STAFF_JWT) {
  constructor(config: GatewayConfig) {
    super(bearerOptions(config, Audience.Staff));
  }

  validate(payload: Record<string, unknown>): StaffPrincipal {
    const { sub, firmId, role } = payload;
    if (!isId(sub) || !isId(firmId) || !STAFF_ROLES.includes(role as StaffRole)) throw malformed();
    identifyActor(sub, 'staff');
    return { kind: 'staff', userId: sub, role: role as StaffRole, scope: firmScope(firmId) };
  }
}

@Injectable()
export class PortalJwtStrategy extends PassportStrategy(JwtStrategy, PORTAL_JWT) {
  constructor(config: GatewayConfig) {
    super(bearerOptions(config, Audience.Portal));
  }

  validate(payload: Record<string, unknown>): PortalPrincipal {
    const { sub, contactId, firmId } = payload;
    if (!isId(sub) || !isId(contactId) || !isId(firmId)) throw malformed();
    identifyActor(contactId, 'contact');
    return { kind: 'portal', portalAccountId: sub, contactId, scope: firmScope(firmId) };
  }
}
