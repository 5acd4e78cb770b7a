import { Injectable } from '@nestjs/common';
import { issueOpaqueToken } from '@cp/auth';
import {
  BulkInviteResult,
  DomainError,
  ErrorCode,
  FirmBranding,
  InviteSenderCommand,
  InviteTargetDto,
  IssueInvitesCommand,
  ResendInviteCommand,
  Topic,
} from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import { randomUUID } from 'node:crypto';
import { InvitesConfig } from '../config';
import { InviteRepository } from '../repositories/invite.repository';
import { Invite } from '../repositories/invite.schema';
import { PortalAccountRepository } from '../repositories/portal-account.repository';
import { FirmSettingsRepository } from '../repositories/firm-settings.repository';
import { Clock } from './clock';
import { inviteEndedEvent, inviteSentEvents } from './invite-events';

const DAY_MS = 24 * 3600 * 1000;
const ISSUE_CONCURRENCY = 8;
/** Only the two branding fields, null when unset. */
const brandingOf = (sender: InviteSenderCommand): FirmBranding => ({
  logoUrl: sender.firmBranding?.logoUrl ?? null,
  brandColor: sender.firmBranding?.brandColor ?? null,
});

export const inviteNotFound = () => new DomainError(ErrorCode.NotFound, 'No such invite.');

/** Staff side: send (one or many), resend, revoke. Every send is durable before the answer. */
@Injectable()
export class Invitations {
  constructor(
    private readonly invites: InviteRepository,
    private readonly accounts: PortalAccountRepository,
    private readonly config: InvitesConfig,
    private readonly clock: Clock,
    private readonly settings: FirmSettingsRepository,
  ) {}

  private async expiryDays(scope: FirmScope): Promise<number> {
    return (await this.settings.find(scope))?.inviteExpiryDays ?? this.config.INVITE_EXPIRY_DAYS;
  }

  /** One result per target; a failure for one contact never fails the others. */
  async issue(
    scope: FirmScope,
    command: IssueInvitesCommand,
  ): Promise<{ results: BulkInviteResult[]; invites: Invite[] }> {
    const results: BulkInviteResult[] = new Array<BulkInviteResult>(command.targets.length);
    const invites: Invite[] = [];
    // A few at a time: each is its own durable write, and the database gets no more than it can take.
    let next = 0;
    const worker = async () => {
      while (next < command.targets.length) {
        const index = next++;
        const target = command.targets[index];
        try {
          const invite = await this.issueOne(scope, command, target);
          invites.push(invite);
          results[index] = { contactId: target.contactId, status: 'sent', inviteId: invite._id };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          results[index] = { contactId: target.contactId, status: 'skipped', code: error.code, detail: error.message };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ISSUE_CONCURRENCY, command.targets.length) }, worker));
    return { results, invites };
  }

  private async issueOne(scope: FirmScope, command: IssueInvitesCommand, target: InviteTargetDto): Promise<Invite> {
    if (await this.accounts.findByContact(scope, target.contactId)) {
      throw new DomainError(ErrorCode.InviteAlreadyAccepted, 'This contact already has a portal account.');
    }
    const pending = await this.invites.findPendingFor(scope, target.contactId);
    // Inviting a contact with a pending invite sends a fresh link for that same invite.
    if (pending) return this.resend(scope, pending._id, command);

    const now = this.clock.now();
    const id = randomUUID();
    const token = issueOpaqueToken(id);
    const invite: Invite = {
      _id: id,
      firmId: scope.firmId,
      firmName: command.firmName,
      firmSlug: command.firmSlug,
      firmBranding: brandingOf(command),
      contactId: target.contactId,
      clientId: target.clientId,
      email: target.email,
      contactFirstName: target.contactFirstName,
      contactLastName: target.contactLastName,
      status: 'pending',
      tokenHash: token.hash,
      message: command.message ?? null,
      templateId: command.templateId ?? null,
      sentBy: command.inviterId,
      sentByName: command.inviterName,
      sentByEmail: command.inviterEmail ?? null,
      sendCount: 1,
      lastSentAt: now,
      expiresAt: new Date(now.getTime() + (await this.expiryDays(scope)) * DAY_MS),
      acceptedAt: null,
      revokedAt: null,
      lastEmail: null,
      createdAt: now,
      updatedAt: now,
      pendingEvents: [],
      outboxPending: false,
    };
    return this.invites.insert(
      scope,
      invite,
      inviteSentEvents(invite, this.link(token.value), this.config.INVITE_LINK_KEY, false),
    );
  }

  /** A new link for a pending, expired or revoked invite; the previous link stops working. */
  async resend(scope: FirmScope, inviteId: string, sender: ResendInviteCommand): Promise<Invite> {
    const current = await this.invites.findById(scope, inviteId);
    if (!current) throw inviteNotFound();
    if (current.status === 'accepted') {
      throw new DomainError(ErrorCode.InviteAlreadyAccepted, 'This invite was accepted; the contact can sign in.');
    }
    const now = this.clock.now();
    const token = issueOpaqueToken(current._id);
    const next: Invite = {
      ...current,
      status: 'pending',
      tokenHash: token.hash,
      sentBy: sender.inviterId,
      sentByName: sender.inviterName,
      sentByEmail: sender.inviterEmail ?? current.sentByEmail ?? null,
      firmBranding: sender.firmBranding ? brandingOf(sender) : (current.firmBranding ?? null),
      sendCount: current.sendCount + 1,
      lastSentAt: now,
      expiresAt: new Date(now.getTime() + (await this.expiryDays(scope)) * DAY_MS),
      revokedAt: null,
    };
    const { tokenHash, sentBy, sentByName, sentByEmail, firmBranding, sendCount, lastSentAt, expiresAt, status } = next;
    const updated = await this.invites.transition(
      inviteId,
      ['pending', 'expired', 'revoked'],
      {
        tokenHash,
        sentBy,
        sentByName,
        sentByEmail,
        firmBranding,
        sendCount,
        lastSentAt,
        expiresAt,
        status,
        revokedAt: null,
      },
      inviteSentEvents(next, this.link(token.value), this.config.INVITE_LINK_KEY, true),
      { sendCount: current.sendCount }, // a concurrent resend wins; this one fails rather than double-sends
    );
    if (!updated) throw new DomainError(ErrorCode.Conflict, 'The invite changed meanwhile; try again.');
    return updated;
  }

  async revoke(scope: FirmScope, inviteId: string): Promise<Invite> {
    const current = await this.invites.findById(scope, inviteId);
    if (!current) throw inviteNotFound();
    if (current.status === 'revoked') return current;
    if (current.status === 'accepted')
      throw new DomainError(ErrorCode.InviteAlreadyAccepted, 'This invite was already accepted.');
    const updated = await this.invites.transition(
      inviteId,
      ['pending', 'expired'],
      { status: 'revoked', revokedAt: this.clock.now() },
      [inviteEndedEvent(current, Topic.InviteRevoked)],
    );
    if (!updated) throw new DomainError(ErrorCode.Conflict, 'The invite changed meanwhile; try again.');
    return updated;
  }

  /**
   * A contact's email changed: a link sent to another address must stop working. An invite
   * already sent to the new address stays: the firm app adds a missing email and sends the invite
   * at once, and this event may well arrive after that invite.
   */
  async revokePendingFor(scope: FirmScope, contactId: string, newEmail: string | null): Promise<void> {
    const pending = await this.invites.findPendingFor(scope, contactId);
    if (!pending) return;
    if (newEmail && pending.email.toLowerCase() === newEmail.toLowerCase()) return;
    await this.revoke(scope, pending._id);
  }

  private link(token: string): string {
    return `${this.config.PORTAL_URL.replace(/\/$/, '')}/invite/${token}`;
  }
}
