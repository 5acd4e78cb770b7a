import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { RefreshSession, RefreshTokenFamilies } from '@cp/auth';
import { DomainError, ErrorCode } from '@cp/contracts';
import { FirmScope, firmScope } from '@cp/platform';
import { Model } from 'mongoose';
import { InvitesConfig } from '../config';
import { PortalAccountRepository } from '../repositories/portal-account.repository';
import { PortalAccount } from '../repositories/portal-account.schema';

export const PORTAL_SESSION_MODEL = 'PortalSession';

/** Portal refresh tokens: a family per sign-in, rotated on each use, revoked on reuse. */
@Injectable()
export class PortalSessions {
  private readonly logger = new Logger(PortalSessions.name);
  private readonly families: RefreshTokenFamilies;

  constructor(
    @InjectModel(PORTAL_SESSION_MODEL) sessions: Model<RefreshSession>,
    private readonly accounts: PortalAccountRepository,
    config: InvitesConfig,
  ) {
    this.families = new RefreshTokenFamilies(sessions, config.PORTAL_REFRESH_TOKEN_TTL_SECONDS, (session) =>
      this.logger.warn(
        { familyId: session.familyId, portalAccountId: session.subjectId },
        'portal refresh token reused; family revoked',
      ),
    );
  }

  async start(scope: FirmScope, accountId: string): Promise<string> {
    const account = await this.accounts.findById(scope, accountId);
    if (!account) throw new DomainError(ErrorCode.NotFound, 'No such portal account.');
    return this.families.issue({ subjectId: account._id, firmId: account.firmId });
  }

  /** A password change: every refresh-token family of the account ends. */
  async endAllOf(account: PortalAccount): Promise<void> {
    await this.families.revokeAllOf({ subjectId: account._id, firmId: account.firmId });
  }

  /** Sign out: the presented token's family ends. */
  async end(presented: string): Promise<void> {
    return this.families.end(presented);
  }

  async rotate(presented: string): Promise<{ account: PortalAccount; refreshToken: string }> {
    const { session, refreshToken } = await this.families.rotate(presented);
    const account = await this.accounts.findById(firmScope(session.firmId), session.subjectId);
    if (!account) {
      await this.families.revokeFamily(session.familyId);
      throw new DomainError(ErrorCode.Unauthenticated, 'The refresh token is not valid. Sign in again.');
    }
    return { account, refreshToken };
  }
}
