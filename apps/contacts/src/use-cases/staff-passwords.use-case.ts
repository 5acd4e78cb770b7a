import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  assertPasswordRules,
  currentPasswordIncorrect,
  hashPassword,
  keyFromBase64,
  passwordChangedEvent,
  PasswordResetLink,
  PasswordResetLinks,
  seal,
  verifyPassword,
} from '@cp/auth';
import { firmAppUrl } from '@cp/config';
import {
  ChangePasswordCommand,
  createEvent,
  DomainError,
  ErrorCode,
  RequestOrigin,
  ResetConfirmCommand,
  Topic,
} from '@cp/contracts';
import { currentCorrelationId, FirmScope, firmScope } from '@cp/platform';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { ContactsConfig } from '../config';
import { FirmRepository } from '../repositories/firm.repository';
import { StaffUserRepository } from '../repositories/staff-user.repository';
import { StaffUser } from '../repositories/staff-user.schema';
import { StaffSessions } from './staff-sessions.use-case';

export const STAFF_RESET_MODEL = 'StaffPasswordReset';

const originOf = (input: { ip?: string | null; userAgent?: string | null }): RequestOrigin => ({
  ip: input.ip ?? null,
  userAgent: input.userAgent ?? null,
});

/** Staff password reset by emailed link, and the signed-in password change. */
@Injectable()
export class StaffPasswords {
  private readonly logger = new Logger(StaffPasswords.name);
  private readonly links: PasswordResetLinks;

  constructor(
    @InjectModel(STAFF_RESET_MODEL) links: Model<PasswordResetLink>,
    private readonly users: StaffUserRepository,
    private readonly firms: FirmRepository,
    private readonly sessions: StaffSessions,
    private readonly config: ContactsConfig,
  ) {
    this.links = new PasswordResetLinks(links, () => new Date(Date.now() + config.CLOCK_OFFSET_MS));
  }

  /**
   * Answers before looking anything up: the look-up and the email happen after the answer, so a
   * known and an unknown address take the same time to answer.
   */
  requestReset(email: string): void {
    // Deliberately detached (see above); a failure is logged, and the person can ask again.
    void this.sendResetLink(email).catch((error: unknown) =>
      this.logger.warn({ err: String(error) }, 'password-reset link could not be stored'),
    );
  }

  private async sendResetLink(email: string): Promise<void> {
    const user = await this.users.findForSignIn(email);
    const firm = user && (await this.firms.findById(user.firmId));
    if (!user || !firm) return;
    const key = keyFromBase64(this.config.INVITE_LINK_KEY);
    await this.links.issue({ subjectId: user._id, firmId: user.firmId }, (link) => [
      createEvent({
        topic: Topic.PasswordResetEmailRequested,
        firmId: user.firmId,
        correlationId: currentCorrelationId() ?? randomUUID(),
        key: user._id,
        data: {
          resetId: link.id,
          accountKind: 'staff',
          accountId: user._id,
          to: user.email,
          name: user.name,
          firmName: firm.name,
          firmBranding: { logoUrl: firm.logoUrl ?? null, brandColor: firm.brandColor ?? null },
          expiresAt: link.expiresAt.toISOString(),
          sealedLink: seal(key, `${firmAppUrl(this.config)}/reset-password/${link.token}`),
        },
      }),
    ]);
  }

  /** Sets the password from a link, once; every session of the account ends. */
  async confirmReset(input: ResetConfirmCommand): Promise<void> {
    const link = await this.links.check(input.token);
    const scope = firmScope(link.firmId);
    const user = await this.users.findById(scope, link.subjectId);
    if (!user) throw new DomainError(ErrorCode.ResetLinkInvalid, 'This password-reset link is not valid.');
    assertPasswordRules(input.password, user.email);
    const passwordHash = await hashPassword(input.password);
    await this.links.use(link);
    await this.save(scope, user, passwordHash, 'reset', originOf(input));
  }

  /** The signed-in change: every session ends, and the caller gets a new one (a fresh refresh token). */
  async change(scope: FirmScope, userId: string, input: ChangePasswordCommand): Promise<string> {
    const user = await this.users.findById(scope, userId);
    if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'This staff account no longer exists.');
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw currentPasswordIncorrect();
    assertPasswordRules(input.newPassword, user.email);
    await this.save(scope, user, await hashPassword(input.newPassword), 'change', originOf(input));
    return this.sessions.start(user);
  }

  private async save(
    scope: FirmScope,
    user: StaffUser,
    passwordHash: string,
    via: 'reset' | 'change',
    origin: RequestOrigin,
  ): Promise<void> {
    const event = passwordChangedEvent({
      firmId: user.firmId,
      accountId: user._id,
      accountKind: 'staff',
      key: user._id,
      via,
      origin,
      correlationId: currentCorrelationId(),
    });
    if (!(await this.users.setPassword(scope, user._id, passwordHash, [event]))) {
      throw new DomainError(ErrorCode.Unauthenticated, 'This staff account no longer exists.');
    }
    await this.sessions.endAllOf(user);
  }
}
