import { Injectable, Logger } from '@nestjs/common';
import { issueOpaqueToken, parseOpaqueToken, secretMatches } from '@cp/auth';
import { DomainError, ErrorCode } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { randomUUID } from 'node:crypto';
import { ContactsConfig } from '../config';
import { FirmRepository } from '../repositories/firm.repository';
import { SessionRepository } from '../repositories/session.repository';
import { StaffUserRepository } from '../repositories/staff-user.repository';
import { Firm } from '../repositories/firm.schema';
import { StaffUser } from '../repositories/staff-user.schema';

const rejected = () => new DomainError(ErrorCode.Unauthenticated, 'The refresh token is not valid. Sign in again.');

/** Refresh tokens: issue a family at sign-in, rotate on each use, revoke the family on reuse. */
@Injectable()
export class StaffSessions {
  private readonly logger = new Logger(StaffSessions.name);

  constructor(
    private readonly sessions: SessionRepository,
    private readonly users: StaffUserRepository,
    private readonly firms: FirmRepository,
    private readonly config: ContactsConfig,
  ) {}

  async start(user: StaffUser, familyId: string = randomUUID()): Promise<string> {
    const token = issueOpaqueToken(randomUUID());
    const now = new Date();
    await this.sessions.insert({
      _id: token.id,
      familyId,
      userId: user._id,
      firmId: user.firmId,
      secretHash: token.hash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
    });
    return token.value;
  }

  async startFor(userId: string): Promise<string> {
    const user = await this.users.findForSession(userId);
    if (!user) throw new DomainError(ErrorCode.NotFound, 'No such user.');
    return this.start(user);
  }

  async rotate(presented: string): Promise<{ user: StaffUser; firm: Firm; refreshToken: string }> {
    const parsed = parseOpaqueToken(presented);
    const session = parsed && (await this.sessions.findById(parsed.id));
    if (!parsed || !session || !secretMatches(parsed.secret, session.secretHash)) throw rejected();
    const now = new Date();
    if (session.revokedAt || session.expiresAt.getTime() <= now.getTime()) throw rejected();
    if (!(await this.sessions.markUsed(session._id, now))) {
      // The token was used before: someone else holds a copy. End every session of the family.
      await this.sessions.revokeFamily(session.familyId, now);
      this.logger.warn({ familyId: session.familyId, userId: session.userId }, 'refresh token reused; family revoked');
      throw rejected();
    }
    const user = await this.users.findById(firmScope(session.firmId), session.userId);
    const firm = await this.firms.findById(session.firmId);
    if (!user || !firm) throw rejected();
    return { user, firm, refreshToken: await this.start(user, session.familyId) };
  }
}
