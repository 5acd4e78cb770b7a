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
import { ChangePasswordCommand, createEvent, DomainError, ErrorCode, ResetConfirmCommand, Topic } from '@cp/contracts';
import { currentCorrelationId, FirmScope, firmScope } from '@cp/platform';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { InvitesConfig } from '../config';
import { InviteRepository } from '../repositories/invite.repository';
import { PortalAccountRepository } from '../repositories/portal-account.repository';
import { PortalAccount } from '../repositories/portal-account.schema';
import { Clock } from './clock';
import { PortalSessions } from './portal-sessions.use-case';

export const PORTAL_RESET_MODEL = 'PortalPasswordReset';

/** A contact's password reset by emailed link, and the signed-in change. */
@Injectable()
export class PortalPasswords {
  private readonly logger = new Logger(PortalPasswords.name);
  private readonly links: PasswordResetLinks;

  constructor(
    @InjectModel(PORTAL_RESET_MODEL) links: Model<PasswordResetLink>,
    private readonly accounts: PortalAccountRepository,
    private readonly invites: InviteRepository,
    private readonly sessions: PortalSessions,
    private readonly config: InvitesConfig,
    clock: Clock,
  ) {
    this.links = new PasswordResetLinks(links, () => clock.now());
  }

  /** Answers before the look-up: a known and an unknown account take the same time to answer. */
  requestReset(firmSlug: string, email: string): void {
    // Deliberately detached (see above); a failure is logged, and the contact can ask again.
    void this.sendResetLink(firmSlug, email).catch((error: unknown) =>
      this.logger.warn({ err: String(error) }, 'password-reset link could not be stored'),
    );
  }

  private async sendResetLink(firmSlug: string, email: string): Promise<void> {
    const account = await this.accounts.findForSignIn(firmSlug, email);
    if (!account) return;
    // The invite the account came from names the firm, its look and the contact.
    const invite = await this.invites.findLatestFor(firmScope(account.firmId), account.contactId);
    const key = keyFromBase64(this.config.INVITE_LINK_KEY);
    await this.links.issue({ subjectId: account._id, firmId: account.firmId }, (link) => [
      createEvent({
        topic: Topic.PasswordResetEmailRequested,
        firmId: account.firmId,
        correlationId: currentCorrelationId() ?? randomUUID(),
        key: account.contactId,
        data: {
          resetId: link.id,
          accountKind: 'contact',
          accountId: account._id,
          to: account.email,
          name: invite?.contactFirstName ?? '',
          firmName: invite?.firmName ?? firmSlug,
          firmBranding: invite?.firmBranding ?? { logoUrl: null, brandColor: null },
          expiresAt: link.expiresAt.toISOString(),
          sealedLink: seal(key, `${this.config.PORTAL_URL.replace(/\/$/, '')}/reset-password/${link.token}`),
        },
      }),
    ]);
  }

  /** Sets the password from a link, once; every session ends. Answers the firm, for its sign-in page. */
  async confirmReset(input: ResetConfirmCommand): Promise<{ firm: string }> {
    const link = await this.links.check(input.token);
    const scope = firmScope(link.firmId);
    const account = await this.accounts.findById(scope, link.subjectId);
    if (!account) throw new DomainError(ErrorCode.ResetLinkInvalid, 'This password-reset link is not valid.');
    assertPasswordRules(input.password, account.email);
    const passwordHash = await hashPassword(input.password);
    await this.links.use(link);
    await this.save(scope, account, passwordHash, 'reset', input);
    return { firm: account.firmSlug };
  }

  /** The signed-in change: every session ends, and the caller gets a new one. */
  async change(scope: FirmScope, accountId: string, input: ChangePasswordCommand): Promise<string> {
    const account = await this.accounts.findById(scope, accountId);
    if (!account) throw new DomainError(ErrorCode.Unauthenticated, 'This portal account no longer exists.');
    if (!(await verifyPassword(account.passwordHash, input.currentPassword))) throw currentPasswordIncorrect();
    assertPasswordRules(input.newPassword, account.email);
    await this.save(scope, account, await hashPassword(input.newPassword), 'change', input);
    return this.sessions.start(scope, account._id);
  }

  private async save(
    scope: FirmScope,
    account: PortalAccount,
    passwordHash: string,
    via: 'reset' | 'change',
    origin: { ip?: string | null; userAgent?: string | null },
  ): Promise<void> {
    const event = passwordChangedEvent({
      firmId: account.firmId,
      accountId: account._id,
      accountKind: 'contact',
      key: account.contactId,
      via,
      origin: { ip: origin.ip ?? null, userAgent: origin.userAgent ?? null },
      correlationId: currentCorrelationId(),
    });
    if (!(await this.accounts.setPassword(scope, account._id, passwordHash, [event]))) {
      throw new DomainError(ErrorCode.Unauthenticated, 'This portal account no longer exists.');
    }
    await this.sessions.endAllOf(account);
  }
}
