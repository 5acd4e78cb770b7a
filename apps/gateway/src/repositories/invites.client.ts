import { Injectable } from '@nestjs/common';
import {
  ChangePasswordCommand,
  PortalPasswordResetDto,
  ResetConfirmCommand,
  PortalSignInDto,
  PortalSignInOutcome,
  TwoStepInternalDto,
  AcceptInviteDto,
  BulkInviteResult,
  InvitePreview,
  InviteView,
  InviteSettingsDto,
  InviteSettingsView,
  IssueInvitesCommand,
  ListInvitesQueryDto,
  Page,
  PortalAccountView,
  PortalLoginDto,
  PortalSessionGrant,
  ResendInviteCommand,
} from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import { ServiceHttp } from './service-http';

const id = encodeURIComponent;
const firm = (scope: FirmScope) => `/firms/${id(scope.firmId)}`;

/** The invites service's internal API: invitations and portal accounts. */
@Injectable()
export class InvitesClient {
  constructor(private readonly http: ServiceHttp) {}

  async issue(
    scope: FirmScope,
    command: IssueInvitesCommand,
  ): Promise<{ results: BulkInviteResult[]; invites: InviteView[] }> {
    // Each invite is stored before the answer: a bulk of 1,000 takes a while.
    return this.http.json('invites', 'POST', `${firm(scope)}/invites`, { body: command, timeoutMs: 300_000 });
  }

  async list(scope: FirmScope, query: ListInvitesQueryDto): Promise<Page<InviteView>> {
    const { status, clientId, contactId, limit, cursor } = query;
    return this.http.json('invites', 'GET', `${firm(scope)}/invites`, {
      query: { status, clientId, contactId, limit, cursor },
    });
  }

  async resend(scope: FirmScope, inviteId: string, sender: ResendInviteCommand): Promise<InviteView> {
    return this.http.json('invites', 'POST', `${firm(scope)}/invites/${id(inviteId)}/resend`, { body: sender });
  }

  async revoke(scope: FirmScope, inviteId: string): Promise<InviteView> {
    return this.http.json('invites', 'POST', `${firm(scope)}/invites/${id(inviteId)}/revoke`);
  }

  async preview(token: string): Promise<InvitePreview> {
    return this.http.json('invites', 'GET', `/portal/invites/${id(token)}`);
  }

  async accept(input: AcceptInviteDto): Promise<PortalAccountView> {
    return this.http.json('invites', 'POST', '/portal/invites/accept', { body: input });
  }

  async verifyPortalPassword(input: PortalLoginDto): Promise<PortalAccountView> {
    return this.http.json('invites', 'POST', '/portal/auth/verify-password', { body: input });
  }

  /** The password, then either a new session or the emailed code that is due. */
  async portalSignIn(input: PortalSignInDto): Promise<PortalSignInOutcome> {
    return this.http.json('invites', 'POST', '/portal/auth/sign-in', { body: input });
  }

  async portalTwoStep(input: TwoStepInternalDto): Promise<PortalSignInOutcome> {
    return this.http.json('invites', 'POST', '/portal/auth/two-step', { body: input });
  }

  async setPortalTwoStep(scope: FirmScope, accountId: string, enabled: boolean): Promise<PortalAccountView> {
    return this.http.json('invites', 'PUT', `${firm(scope)}/portal-accounts/${id(accountId)}/two-step`, {
      body: { enabled },
    });
  }

  async settings(scope: FirmScope): Promise<InviteSettingsView> {
    return this.http.json('invites', 'GET', `${firm(scope)}/settings`);
  }

  async saveSettings(scope: FirmScope, input: InviteSettingsDto): Promise<InviteSettingsView> {
    return this.http.json('invites', 'PUT', `${firm(scope)}/settings`, { body: input });
  }

  async account(scope: FirmScope, accountId: string): Promise<PortalAccountView> {
    return this.http.json('invites', 'GET', `${firm(scope)}/portal-accounts/${id(accountId)}`);
  }

  async startPortalSession(scope: FirmScope, accountId: string): Promise<{ refreshToken: string }> {
    return this.http.json('invites', 'POST', `${firm(scope)}/portal-accounts/${id(accountId)}/sessions`);
  }

  async rotatePortalSession(refreshToken: string): Promise<PortalSessionGrant> {
    return this.http.json('invites', 'POST', '/portal/sessions/rotate', { body: { refreshToken } });
  }

  /** Sign out: ends the token's family (nothing for an unknown token). */
  async endPortalSession(refreshToken: string): Promise<void> {
    return this.http.empty('invites', 'POST', '/portal/sessions/end', { body: { refreshToken } });
  }

  // Password reset and change, new-link requests

  async requestPortalPasswordReset(input: PortalPasswordResetDto): Promise<void> {
    await this.http.json('invites', 'POST', '/portal/auth/password-reset', { body: input });
  }

  async confirmPortalPasswordReset(command: ResetConfirmCommand): Promise<{ firm: string }> {
    return this.http.json('invites', 'POST', '/portal/auth/password-reset/confirm', { body: command });
  }

  /** Every session of the account ends; the answer is a fresh refresh token for the caller. */
  async changePortalPassword(
    scope: FirmScope,
    accountId: string,
    command: ChangePasswordCommand,
  ): Promise<{ refreshToken: string }> {
    return this.http.json('invites', 'POST', `${firm(scope)}/portal-accounts/${id(accountId)}/password`, {
      body: command,
    });
  }

  async requestNewLink(token: string): Promise<void> {
    await this.http.json('invites', 'POST', '/portal/invites/new-link-request', { body: { token } });
  }
}
