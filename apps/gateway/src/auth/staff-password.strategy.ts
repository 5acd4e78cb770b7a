import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { StaffSignInOutcome } from '@cp/contracts';
import type { Request } from 'express';
import { Strategy as LocalStrategy } from 'passport-local';
import { ContactsClient } from '../repositories/contacts.client';
import { deviceCookie } from './device-cookie';
import { requestOrigin } from './request-origin';

export const STAFF_PASSWORD = 'staff-password';

/**
 * Email and password sign-in. The contacts service holds the password hashes and answers the
 * same 401 for an unknown email and a wrong password; that answer is relayed unchanged. A right
 * password answers a session, or the second step that is due (the browser's trusted-device
 * cookie and the request's origin go along for that decision and the sign-in events).
 */
@Injectable()
export class StaffPasswordStrategy extends PassportStrategy(LocalStrategy, STAFF_PASSWORD) {
  constructor(private readonly contacts: ContactsClient) {
    super({ usernameField: 'email', passwordField: 'password', session: false, passReqToCallback: true });
  }

  async validate(req: Request, email: string, password: string): Promise<StaffSignInOutcome> {
    return this.contacts.signIn({ email, password, ...requestOrigin(req), deviceToken: deviceCookie('staff', req) });
  }
}

/** What the password sign-in StaffPasswordGuard just ran answered. */
export const PasswordVerified = createParamDecorator(
  (_: unknown, context: ExecutionContext): StaffSignInOutcome =>
    context.switchToHttp().getRequest<{ user: StaffSignInOutcome }>().user,
);
