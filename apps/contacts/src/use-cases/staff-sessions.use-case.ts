import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { RefreshSession, RefreshTokenFamilies } from '@cp/auth';
import { DomainError, ErrorCode } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { Model } from 'mongoose';
import { ContactsConfig } from '../config';
import { FirmRepository } from '../repositories/firm.repository';
import { StaffUserRepository } from '../repositories/staff-user.repository';
import { Firm } from '../repositories/firm.schema';
import { StaffUser } from '../repositories/staff-user.schema';

export const STAFF_SESSION_MODEL = 'StaffSession';

/** Staff refresh tokens: a family per sign-in, rotated on each use, revoked on reuse. */
@Injectable()
export class StaffSessions {
  private readonly logger = new Logger(StaffSessions.name);
  private readonly families: RefreshTokenFamilies;

  constructor(
    @InjectModel(STAFF_SESSION_MODEL) sessions: Model<RefreshSession>,
    private readonly users: StaffUserRepository,
    private readonly firms: FirmRepository,
    config: ContactsConfig,
  ) {
    this.families = new RefreshTokenFamilies(sessions, config.REFRESH_TOKEN_TTL_SECONDS, (session) =>
      this.logger.warn(
        { familyId: session.familyId, userId: session.subjectId },
        'refresh token reused; family revoked',
      ),
    );
  }

  async start(user: StaffUser): Promise<string> {
    return this.families.issue({ subjectId: user._id, firmId: user.firmId });
  }

  async startFor(userId: string): Promise<string> {
    const user = await this.users.findForSession(userId);
    if (!user) throw new DomainError(ErrorCode.NotFound, 'No such user.');
    return this.start(user);
  }

  /** A password change: every refresh-token family of the user ends. */
  async endAllOf(user: StaffUser): Promise<void> {
    await this.families.revokeAllOf({ subjectId: user._id, firmId: user.firmId });
  }

  /** Sign out: the presented token's family ends. */
  async end(presented: string): Promise<void> {
    return this.families.end(presented);
  }

  async rotate(presented: string): Promise<{ user: StaffUser; firm: Firm; refreshToken: string }> {
    const { session, refreshToken } = await this.families.rotate(presented);
    const user = await this.users.findById(firmScope(session.firmId), session.subjectId);
    const firm = await this.firms.findById(session.firmId);
    if (!user || !firm) {
      await this.families.revokeFamily(session.familyId);
      throw new DomainError(ErrorCode.Unauthenticated, 'The refresh token is not valid. Sign in again.');
    }
    return { user, firm, refreshToken };
  }
}
