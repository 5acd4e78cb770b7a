import { Injectable } from '@nestjs/common';
import { FirmView, SignUpFirmDto, StaffSignInOutcome, StaffUserView } from '@cp/contracts';
import { SignInAnswer } from '../auth/device-cookie';
import { AccessTokens } from '../auth/access-tokens';
import { ContactsClient } from '../repositories/contacts.client';

export interface StaffTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: StaffUserView;
}

/** What a sign-in step answers: tokens (200), or the second step that is due (202). */
export type StaffSignInAnswer = SignInAnswer<StaffTokens & { recoveryCodes?: string[] }>;

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

  /** A password or second-step outcome of the contacts service, as the client gets it. */
  async complete(outcome: StaffSignInOutcome): Promise<StaffSignInAnswer> {
    if (outcome.status === 'challenge') {
      return { status: 202, body: { challengeToken: outcome.challengeToken, method: outcome.method } };
    }
    const tokens = await this.pair(outcome.user, outcome.refreshToken);
    const body = outcome.recoveryCodes ? { ...tokens, recoveryCodes: outcome.recoveryCodes } : tokens;
    return { status: 200, body, deviceToken: outcome.deviceToken };
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
