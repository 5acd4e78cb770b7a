import { Injectable } from '@nestjs/common';
import {
  ChangePasswordCommand,
  ResetConfirmCommand,
  AddContactDto,
  AddStaffUserDto,
  ClientView,
  ContactView,
  CreateClientDto,
  FirmBrandingDto,
  FirmView,
  ListClientsQueryDto,
  LoginDto,
  Page,
  SecuritySettings,
  StaffSignInDto,
  StaffSignInOutcome,
  StaffTwoStepStatus,
  TotpEnrolment,
  TwoStepInternalDto,
  PageQueryDto,
  SignUpFirmDto,
  StaffSessionGrant,
  StaffUserView,
  UpdateClientDto,
  UpdateContactDto,
} from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import { ServiceHttp } from './service-http';

/** A staff user with the firm they belong to. */
export interface StaffIdentity {
  user: StaffUserView;
  firm: FirmView;
}

/** The contacts service tells who is acting through this header; it checks the role itself. */
export const ACTOR_HEADER = 'x-actor-user-id';

const id = encodeURIComponent;

/**
 * The contacts service's internal API: firms, staff accounts and refresh-token families, clients
 * and contacts. Every tenant call takes the caller's FirmScope, so the firm always comes from a
 * verified token.
 */
@Injectable()
export class ContactsClient {
  constructor(private readonly http: ServiceHttp) {}

  // Firms, passwords and refresh tokens

  async signUpFirm(input: SignUpFirmDto): Promise<StaffSessionGrant> {
    return this.http.json('contacts', 'POST', '/firms', { body: input });
  }

  /** The same 401 for an unknown email and a wrong password. */
  async verifyPassword(input: LoginDto): Promise<StaffIdentity> {
    return this.http.json('contacts', 'POST', '/auth/verify-password', { body: input });
  }

  /** Starts a new refresh-token family for a user who just proved their password. */
  async startSession(userId: string): Promise<{ refreshToken: string }> {
    return this.http.json('contacts', 'POST', '/sessions', { body: { userId } });
  }

  /** Spends a refresh token for the next one of its family; a reused one revokes the family. */
  async rotateSession(refreshToken: string): Promise<StaffSessionGrant> {
    return this.http.json('contacts', 'POST', '/sessions/rotate', { body: { refreshToken } });
  }

  /** Sign out: ends the token's family (nothing for an unknown token). */
  async endSession(refreshToken: string): Promise<void> {
    await this.http.empty('contacts', 'POST', '/sessions/end', { body: { refreshToken } });
  }

  // Password reset and change

  async requestPasswordReset(email: string): Promise<void> {
    await this.http.json('contacts', 'POST', '/auth/password-reset', { body: { email } });
  }

  async confirmPasswordReset(command: ResetConfirmCommand): Promise<void> {
    await this.http.empty('contacts', 'POST', '/auth/password-reset/confirm', { body: command });
  }

  /** Every session of the user ends; the answer is a fresh refresh token for the caller. */
  async changePassword(
    scope: FirmScope,
    userId: string,
    command: ChangePasswordCommand,
  ): Promise<{ refreshToken: string }> {
    return this.http.json(
      'contacts',
      'POST',
      `/firms/${encodeURIComponent(scope.firmId)}/users/${encodeURIComponent(userId)}/password`,
      {
        body: command,
      },
    );
  }

  // Two-step sign-in

  /** The password, then either a new session or the second step that is due. */
  async signIn(input: StaffSignInDto): Promise<StaffSignInOutcome> {
    return this.http.json('contacts', 'POST', '/auth/sign-in', { body: input });
  }

  async twoStep(input: TwoStepInternalDto): Promise<StaffSignInOutcome> {
    return this.http.json('contacts', 'POST', '/auth/two-step', { body: input });
  }

  async enrolWhileSigningIn(challengeToken: string): Promise<TotpEnrolment> {
    return this.http.json('contacts', 'POST', '/auth/two-step/enrol', { body: { challengeToken } });
  }

  /** The firm a portal sign-in names by slug, and its portal policy (404 for an unknown slug). */
  async portalPolicy(slug: string): Promise<{ firmId: string; firmName: string; portalTwoStep: string }> {
    return this.http.json('contacts', 'GET', `/portal-firms/${id(slug)}`);
  }

  async security(scope: FirmScope): Promise<SecuritySettings> {
    return this.http.json('contacts', 'GET', `${firm(scope)}/settings/security`);
  }

  async saveSecurity(scope: FirmScope, input: SecuritySettings): Promise<SecuritySettings> {
    return this.http.json('contacts', 'PUT', `${firm(scope)}/settings/security`, { body: input });
  }

  async twoStepStatus(scope: FirmScope, userId: string): Promise<StaffTwoStepStatus> {
    return this.http.json('contacts', 'GET', `${firm(scope)}/users/${id(userId)}/two-step`);
  }

  async enrolTotp(scope: FirmScope, userId: string): Promise<TotpEnrolment> {
    return this.http.json('contacts', 'POST', `${firm(scope)}/users/${id(userId)}/totp/enrol`);
  }

  async confirmTotp(
    scope: FirmScope,
    userId: string,
    input: { code: string; ip: string | null; userAgent: string | null },
  ): Promise<{ recoveryCodes: string[] }> {
    return this.http.json('contacts', 'POST', `${firm(scope)}/users/${id(userId)}/totp/confirm`, { body: input });
  }

  async resetTwoStep(
    scope: FirmScope,
    actorId: string,
    userId: string,
    origin: { ip: string | null; userAgent: string | null },
  ): Promise<void> {
    await this.http.empty('contacts', 'POST', `${firm(scope)}/users/${id(userId)}/two-step/reset`, {
      body: origin,
      headers: { [ACTOR_HEADER]: actorId },
    });
  }

  // The firm

  async getFirm(scope: FirmScope): Promise<FirmView> {
    return this.http.json('contacts', 'GET', firm(scope));
  }

  async setFirmBranding(scope: FirmScope, input: FirmBrandingDto): Promise<FirmView> {
    return this.http.json('contacts', 'PATCH', `${firm(scope)}/branding`, { body: input });
  }

  // Staff users

  async staffUser(scope: FirmScope, userId: string): Promise<StaffIdentity> {
    return this.http.json('contacts', 'GET', `${firm(scope)}/users/${id(userId)}`);
  }

  async listStaffUsers(scope: FirmScope): Promise<Page<StaffUserView>> {
    return this.http.json('contacts', 'GET', `${firm(scope)}/users`);
  }

  async addStaffUser(scope: FirmScope, actorUserId: string, input: AddStaffUserDto): Promise<StaffUserView> {
    return this.http.json('contacts', 'POST', `${firm(scope)}/users`, {
      body: input,
      headers: { [ACTOR_HEADER]: actorUserId },
    });
  }

  async removeStaffUser(scope: FirmScope, actorUserId: string, userId: string): Promise<void> {
    return this.http.empty('contacts', 'DELETE', `${firm(scope)}/users/${id(userId)}`, {
      headers: { [ACTOR_HEADER]: actorUserId },
    });
  }

  // Clients

  async createClient(scope: FirmScope, input: CreateClientDto): Promise<ClientView> {
    return this.http.json('contacts', 'POST', `${firm(scope)}/clients`, { body: input });
  }

  async listClients(scope: FirmScope, query: ListClientsQueryDto): Promise<Page<ClientView>> {
    return this.http.json('contacts', 'GET', `${firm(scope)}/clients`, {
      query: { search: query.search, limit: query.limit, cursor: query.cursor },
    });
  }

  async getClient(scope: FirmScope, clientId: string): Promise<ClientView> {
    return this.http.json('contacts', 'GET', `${firm(scope)}/clients/${id(clientId)}`);
  }

  async updateClient(scope: FirmScope, clientId: string, input: UpdateClientDto): Promise<ClientView> {
    return this.http.json('contacts', 'PATCH', `${firm(scope)}/clients/${id(clientId)}`, { body: input });
  }

  async deleteClient(scope: FirmScope, clientId: string): Promise<void> {
    return this.http.empty('contacts', 'DELETE', `${firm(scope)}/clients/${id(clientId)}`);
  }

  // Contacts

  async addContact(scope: FirmScope, clientId: string, input: AddContactDto): Promise<ContactView> {
    return this.http.json('contacts', 'POST', `${firm(scope)}/clients/${id(clientId)}/contacts`, { body: input });
  }

  async listContactsOfClient(scope: FirmScope, clientId: string, query: PageQueryDto): Promise<Page<ContactView>> {
    return this.http.json('contacts', 'GET', `${firm(scope)}/clients/${id(clientId)}/contacts`, {
      query: { limit: query.limit, cursor: query.cursor },
    });
  }

  async getContact(scope: FirmScope, contactId: string): Promise<ContactView> {
    return this.http.json('contacts', 'GET', `${firm(scope)}/contacts/${id(contactId)}`);
  }

  /** The contacts of this firm among `ids`, in one call; unknown ids are absent. */
  async lookupContacts(scope: FirmScope, ids: string[]): Promise<ContactView[]> {
    const { items } = await this.http.json<{ items: ContactView[] }>(
      'contacts',
      'POST',
      `${firm(scope)}/contacts/lookup`,
      {
        body: { ids },
      },
    );
    return items;
  }

  async updateContact(scope: FirmScope, contactId: string, input: UpdateContactDto): Promise<ContactView> {
    return this.http.json('contacts', 'PATCH', `${firm(scope)}/contacts/${id(contactId)}`, { body: input });
  }

  async deleteContact(scope: FirmScope, contactId: string): Promise<void> {
    return this.http.empty('contacts', 'DELETE', `${firm(scope)}/contacts/${id(contactId)}`);
  }
}

function firm(scope: FirmScope): string {
  return `/firms/${id(scope.firmId)}`;
}
