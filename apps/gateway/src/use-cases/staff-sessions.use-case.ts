import { Injectable } from '@nestjs/common';
import { FirmView, SignUpFirmDto, StaffUserView } from '@cp/contracts';
import { AccessTokens } from '../auth/access-tokens';
import { ContactsClient, StaffIdentity } from '../repositories/contacts.client';

export interface StaffTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: StaffUserView;
}

export interface FirmSignUp extends StaffTokens {
  firm: FirmView;
}

/**
 * Staff sessions as clients see them: a short-lived access token signed here, paired with an
 * opaque refresh token whose family the contacts service keeps (rotation, reuse detection).
 */
@Injectable()
export class StaffSessions {
  constructor(
    private readonly contacts: ContactsClient,
    private readonly tokens: AccessTokens,
  ) {}

  /** A new firm and its owner, signed in straight away. */
  async signUpFirm(input: SignUpFirmDto): Promise<FirmSignUp> {
    const { firm, user, refreshToken } = await this.contacts.signUpFirm(input);
    return { firm, ...(await this.pair(user, refreshToken)) };
  }

  /** After the password was verified: a new refresh-token family. */
  async signIn({ user }: StaffIdentity): Promise<StaffTokens> {
    const { refreshToken } = await this.contacts.startSession(user.id);
    return this.pair(user, refreshToken);
  }

  /** Spends the refresh token; the contacts service refuses a reused one and ends its family. */
  async refresh(refreshToken: string): Promise<StaffTokens> {
    const grant = await this.contacts.rotateSession(refreshToken);
    return this.pair(grant.user, grant.refreshToken);
  }

  /** An access token for a refresh token the contacts service just issued (e.g. after a password change). */
  async pair(user: StaffUserView, refreshToken: string): Promise<StaffTokens> {
    return { accessToken: await this.tokens.forStaff(user), refreshToken, expiresIn: this.tokens.ttlSeconds, user };
  }
}
