import { Injectable } from '@nestjs/common';
import { PortalAccountView, PortalSignInOutcome } from '@cp/contracts';
import { AccessTokens } from '../auth/access-tokens';
import { SignInAnswer } from '../auth/device-cookie';

export interface PortalTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Portal sessions as clients see them: an access token signed here with the invites service's refresh token. */
@Injectable()
export class PortalSessions {
  constructor(private readonly tokens: AccessTokens) {}

  /** A password or second-step outcome of the invites service: tokens (200) or the emailed code due (202). */
  async complete(outcome: PortalSignInOutcome): Promise<SignInAnswer<PortalTokens>> {
    if (outcome.status === 'challenge') {
      return { status: 202, body: { challengeToken: outcome.challengeToken, method: outcome.method } };
    }
    return {
      status: 200,
      body: await this.pair(outcome.account, outcome.refreshToken),
      deviceToken: outcome.deviceToken,
    };
  }

  async pair(
    account: Pick<PortalAccountView, 'id' | 'contactId' | 'firmId'>,
    refreshToken: string,
  ): Promise<PortalTokens> {
    const claims = { contactId: account.contactId, firmId: account.firmId };
    return {
      accessToken: await this.tokens.forPortal(account.id, claims),
      refreshToken,
      expiresIn: this.tokens.ttlSeconds,
    };
  }
}
