import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { ContactsClient, StaffIdentity } from '../repositories/contacts.client';

export const STAFF_PASSWORD = 'staff-password';

/**
 * Email and password sign-in. The contacts service holds the password hashes and answers the
 * same 401 for an unknown email and a wrong password; that answer is relayed unchanged.
 */
@Injectable()
export class StaffPasswordStrategy extends PassportStrategy(LocalStrategy, STAFF_PASSWORD) {
  constructor(private readonly contacts: ContactsClient) {
    super({ usernameField: 'email', passwordField: 'password', session: false });
  }

  async validate(email: string, password: string): Promise<StaffIdentity> {
    return this.contacts.verifyPassword({ email, password });
  }
}

/** The staff member whose password StaffPasswordGuard just verified. */
export const PasswordVerified = createParamDecorator(
  (_: unknown, context: ExecutionContext): StaffIdentity =>
    context.switchToHttp().getRequest<{ user: StaffIdentity }>().user,
);
