import { Injectable } from '@nestjs/common';
import { issueOpaqueToken } from '@cp/auth';
import {
  BulkInviteResult,
  DomainError,
  ErrorCode,
  FirmBranding,
  InviteSenderCommand,
  InviteTargetDto,
  InviteStatus,
  IssueInvitesCommand,
  OutboxEvent,
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
/** Only the two branding fields, null when unset. */
const brandingOf = (sender: InviteSenderCommand): FirmBranding => ({
  logoUrl: sender.firmBranding?.logoUrl ?? null,
  brandColor: sender.firmBranding?.brandColor ?? null,
});

interface Resend {
  next: Invite;
  change: {
    inviteId: string;
    from: InviteStatus[];
    set: Partial<Invite>;
    events: OutboxEvent[];
    extra: Record<string, unknown>;
  };
}

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

  /**
   * One result per target; a failure for one contact never fails the others. Set-based: one
   * look-up of the targets' portal accounts and pending invites, one insertMany of the new
   * invites (each with its own events), one bulkWrite of the fresh links for pending ones.
   */
  async issue(
    scope: FirmScope,
    command: IssueInvitesCommand,
  ): Promise<{ results: BulkInviteResult[]; invites: Invite[] }> {
    const contactIds = command.targets.map((t) => t.contactId);
    const [withAccount, pending, days] = await Promise.all([
      this.accounts.contactsWithAccount(scope, contactIds),
      this.invites.findPendingForMany(scope, contactIds),
      this.expiryDays(scope),
    ]);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + days * DAY_MS);
    const fresh: { invite: Invite; events: OutboxEvent[] }[] = [];
    const resends: Resend[] = [];
    const skipped = new Map<string, BulkInviteResult>();
    for (const target of command.targets) {
      const current = pending.get(target.contactId);
      if (withAccount.has(target.contactId)) {
        skipped.set(target.contactId, {
          contactId: target.contactId,
          status: 'skipped',
          code: ErrorCode.InviteAlreadyAccepted,
          detail: 'This contact already has a portal account.',
        });
      } else if (current) {
        // Inviting a contact with a pending invite sends a fresh link for that same invite, to the
        // contact's address now (it may have changed since, its event not yet seen here).
        resends.push(this.nextSend(current, command, now, expiresAt, target.email));
      } else {
        fresh.push(this.newInvite(scope, command, target, now, expiresAt));
      }
    }
    const [inserted, resent] = await Promise.all([
      fresh.length > 0 ? this.invites.insertMany(scope, fresh) : Promise.resolve([]),
      this.invites.transitionMany(
        resends.map((r) => r.change),
        'tokenHash',
      ),
    ]);
    const invites = [...inserted, ...resends.filter((r) => resent.has(r.next._id)).map((r) => r.next)];
    const byContact = new Map(invites.map((invite) => [invite.contactId, invite]));
    const results = command.targets.map((target): BulkInviteResult => {
      const invite = byContact.get(target.contactId);
      if (invite) return { contactId: target.contactId, status: 'sent', inviteId: invite._id };
      return (
        skipped.get(target.contactId) ?? {
          contactId: target.contactId,
          status: 'skipped',
          code: pending.has(target.contactId) ? ErrorCode.Conflict : ErrorCode.ServiceUnavailable,
          detail: pending.has(target.contactId)
            ? 'The invite changed meanwhile; try again.'
            : 'The invite could not be stored; send again.',
        }
      );
    });
    return { results, invites };
  }

  private newInvite(
    scope: FirmScope,
    command: IssueInvitesCommand,
    target: InviteTargetDto,
    now: Date,
    expiresAt: Date,
  ): { invite: Invite; events: OutboxEvent[] } {
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
      expiresAt,
      acceptedAt: null,
      revokedAt: null,
      newLinkRequestedAt: null,
      lastEmail: null,
      createdAt: now,
      updatedAt: now,
      pendingEvents: [],
      outboxPending: false,
    };
    return { invite, events: inviteSentEvents(invite, this.link(token.value), this.config.INVITE_LINK_KEY, false) };
  }

  /** A new link for a pending, expired or revoked invite; the previous link stops working. */
  async resend(scope: FirmScope, inviteId: string, sender: ResendInviteCommand, email?: string): Promise<Invite> {
    const current = await this.invites.findById(scope, inviteId);
    if (!current) throw inviteNotFound();
    if (current.status === 'accepted') {
      throw new DomainError(ErrorCode.InviteAlreadyAccepted, 'This invite was accepted; the contact can sign in.');
    }
    const now = this.clock.now();
    const { change } = this.nextSend(
      current,
      sender,
      now,
      new Date(now.getTime() + (await this.expiryDays(scope)) * DAY_MS),
      email,
    );
    const updated = await this.invites.transition(
      change.inviteId,
      change.from,
      change.set,
      change.events,
      change.extra,
    );
    if (!updated) throw new DomainError(ErrorCode.Conflict, 'The invite changed meanwhile; try again.');
    return updated;
  }

  /** The change that sends an invite again: a fresh token, the sender, a new date; events included. */
  private nextSend(current: Invite, sender: ResendInviteCommand, now: Date, expiresAt: Date, email?: string): Resend {
    const token = issueOpaqueToken(current._id);
    const next: Invite = {
      ...current,
      email: email ?? current.email,
      status: 'pending',
      tokenHash: token.hash,
      sentBy: sender.inviterId,
      sentByName: sender.inviterName,
      sentByEmail: sender.inviterEmail ?? current.sentByEmail ?? null,
      firmBranding: sender.firmBranding ? brandingOf(sender) : (current.firmBranding ?? null),
      sendCount: current.sendCount + 1,
      lastSentAt: now,
      expiresAt,
      revokedAt: null,
    };
    const { tokenHash, sentBy, sentByName, sentByEmail, firmBranding, sendCount, lastSentAt, status } = next;
    return {
      next,
      change: {
        inviteId: current._id,
        from: ['pending', 'expired', 'revoked'],
        set: {
          email: next.email,
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
        events: inviteSentEvents(next, this.link(token.value), this.config.INVITE_LINK_KEY, true),
        // A concurrent resend wins; this one fails rather than double-sends.
        extra: { sendCount: current.sendCount },
      },
    };
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
   * A contact's email changed to `email` (null: removed): a pending link sent to another address
   * must stop working. The event may arrive after an invite to the new address was sent (add the
   * missing email, then invite at once); that invite went where the contact now is and stays.
   * Only the addresses are compared, never clocks of two services: an event for an address the
   * contact has since left again (A → B → A, the first event late) revokes, which the firm can
   * undo with a resend, while keeping a link at a stale address could not be undone.
   */
  async revokeSentElsewhere(scope: FirmScope, contactId: string, email: string | null): Promise<void> {
    const current = normalizeEmail(email);
    for (let attempt = 0; attempt < 3; attempt++) {
      const pending = await this.invites.findPendingFor(scope, contactId);
      if (!pending || normalizeEmail(pending.email) === current) return;
      const revoked = await this.invites.transition(
        pending._id,
        ['pending'],
        { status: 'revoked', revokedAt: this.clock.now() },
        [inviteEndedEvent(pending, Topic.InviteRevoked)],
        { email: pending.email, sendCount: pending.sendCount }, // a send meanwhile is looked at again
      );
      if (revoked) return;
    }
  }

  private link(token: string): string {
    return `${this.config.PORTAL_URL.replace(/\/$/, '')}/invite/${token}`;
  }
}

function normalizeEmail(email: string | null | undefined): string | null {
  return email ? email.trim().toLowerCase() : null;
}
