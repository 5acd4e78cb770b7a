import { Injectable } from '@nestjs/common';
import { burnPasswordCheck, hashPassword, parseOpaqueToken, secretMatches, verifyPassword } from '@cp/auth';
import {
  AcceptInviteDto,
  createEvent,
  DomainError,
  ErrorCode,
  InvitePreview,
  OutboxEvent,
  PortalLoginDto,
  Topic,
} from '@cp/contracts';
import { eventContext, firmScope } from '@cp/platform';
import { InviteRepository } from '../repositories/invite.repository';
import { Invite } from '../repositories/invite.schema';
import { AccountExistsError, PortalAccountRepository } from '../repositories/portal-account.repository';
import { PortalAccount } from '../repositories/portal-account.schema';
import { Clock } from './clock';

type LinkState =
  { invite: Invite; state: 'valid' | 'accepted' | 'revoked' | 'expired' } | { invite: null; state: 'unknown' };

/** At most one new-link request per invite is recorded (and emailed to staff) in this window. */
export const NEW_LINK_REQUEST_WINDOW_MS = 24 * 3600 * 1000;

/** Contact side: look at an invite link, accept it (creating the portal account), sign in. */
@Injectable()
export class PortalAccess {
  constructor(
    private readonly invites: InviteRepository,
    private readonly accounts: PortalAccountRepository,
    private readonly clock: Clock,
  ) {}

  private async resolve(token: string): Promise<LinkState> {
    const parsed = parseOpaqueToken(token);
    const invite = parsed && (await this.invites.findForToken(parsed.id));
    // A link replaced by a resend no longer matches the stored hash: it is unknown.
    if (!parsed || !invite || !secretMatches(parsed.secret, invite.tokenHash))
      return { invite: null, state: 'unknown' };
    if (invite.status === 'accepted' || invite.status === 'revoked') return { invite, state: invite.status };
    if (invite.status === 'expired' || invite.expiresAt.getTime() <= this.clock.now().getTime())
      return { invite, state: 'expired' };
    return { invite, state: 'valid' };
  }

  /** Reads only: mail scanners open every link, and that must not use the invite up. */
  async preview(token: string): Promise<InvitePreview> {
    const { invite, state } = await this.resolve(token);
    if (!invite) return { firm: null, email: null, valid: false, reason: 'unknown', expiresAt: null };
    return {
      firm: {
        name: invite.firmName,
        slug: invite.firmSlug,
        logoUrl: invite.firmBranding?.logoUrl ?? null,
        brandColor: invite.firmBranding?.brandColor ?? null,
      },
      email: invite.email,
      valid: state === 'valid',
      reason: state === 'valid' ? null : state,
      expiresAt: invite.expiresAt.toISOString(),
    };
  }

  /**
   * A contact with an expired or revoked link asks the firm for a new one. Answers nothing and
   * runs after the answer (see the controller), so every token looks the same from outside; only
   * an expired or revoked invite records the request with NewLinkRequested, once per window.
   */
  async requestNewLink(token: string): Promise<void> {
    const { invite, state } = await this.resolve(token);
    if (!invite || (state !== 'expired' && state !== 'revoked')) return;
    const now = this.clock.now();
    const event = createEvent({
      topic: Topic.NewLinkRequested,
      firmId: invite.firmId,
      ...eventContext(),
      key: invite.contactId,
      data: {
        inviteId: invite._id,
        contactId: invite.contactId,
        inviteState: state,
        clientId: invite.clientId,
        invitedBy: invite.sentBy,
      },
    });
    await this.invites.recordNewLinkRequest(invite, now, new Date(now.getTime() - NEW_LINK_REQUEST_WINDOW_MS), [event]);
  }

  async accept(input: AcceptInviteDto): Promise<PortalAccount> {
    const { invite, state } = await this.resolve(input.token);
    if (state === 'expired')
      throw new DomainError(ErrorCode.InviteExpired, 'This invite has expired. Ask the firm for a new one.');
    if (state === 'revoked') throw new DomainError(ErrorCode.InviteRevoked, 'This invite was withdrawn by the firm.');
    if (!invite || state !== 'valid') throw new DomainError(ErrorCode.InviteInvalid, 'This invite link is not valid.');
    if (input.password.trim().toLowerCase() === invite.email.toLowerCase()) {
      throw new DomainError(ErrorCode.ValidationFailed, 'The password must not be the email address.', {
        errors: [{ field: 'password', message: 'password must not be the email address' }],
      });
    }
    const passwordHash = await hashPassword(input.password);
    const acceptedAt = this.clock.now();
    // Single use: only the one request that moves the invite out of `pending` goes on.
    const claimed = await this.invites.transition(
      invite._id,
      ['pending'],
      { status: 'accepted', acceptedAt },
      [
        createEvent({
          topic: Topic.InviteAccepted,
          firmId: invite.firmId,
          ...eventContext(),
          key: invite.contactId,
          data: {
            inviteId: invite._id,
            contactId: invite.contactId,
            clientId: invite.clientId,
            acceptedAt: acceptedAt.toISOString(),
          },
        }),
      ],
      { tokenHash: invite.tokenHash },
    );
    if (!claimed) throw new DomainError(ErrorCode.InviteInvalid, 'This invite link is not valid.');
    try {
      return await this.accounts.insert(firmScope(invite.firmId), {
        firmSlug: invite.firmSlug,
        contactId: invite.contactId,
        email: invite.email,
        passwordHash,
      });
    } catch (error) {
      if (error instanceof AccountExistsError)
        throw new DomainError(ErrorCode.InviteInvalid, 'This contact already has a portal account.');
      throw error;
    }
  }

  async login(input: PortalLoginDto): Promise<PortalAccount> {
    const { account } = await this.verify(input);
    if (!account) throw new DomainError(ErrorCode.Unauthenticated, 'Email or password is incorrect.');
    return this.recordLogin(account);
  }

  /**
   * Same work for an unknown account and a wrong password. Answers the account when the password
   * is right, else `{ account: null, known }` (known: whether the address has an account, for the
   * sign-in event only; the client's answer is the same).
   */
  async verify(input: PortalLoginDto): Promise<{ account: PortalAccount | null; known: PortalAccount | null }> {
    const account = await this.accounts.findForSignIn(input.firm, input.email);
    if (!account) {
      await burnPasswordCheck(input.password);
      return { account: null, known: null };
    }
    if (!(await verifyPassword(account.passwordHash, input.password))) return { account: null, known: account };
    return { account, known: account };
  }

  /** Accepting signs the contact in too: that is their first login. `also`: events of the same sign-in. */
  async recordLogin(account: PortalAccount, also: OutboxEvent[] = []): Promise<PortalAccount> {
    const at = this.clock.now();
    const login = createEvent({
      topic: Topic.PortalLogin,
      firmId: account.firmId,
      ...eventContext(),
      key: account.contactId,
      data: { contactId: account.contactId, at: at.toISOString() },
    });
    return (await this.accounts.recordLogin(firmScope(account.firmId), account._id, at, [login, ...also])) ?? account;
  }
}
