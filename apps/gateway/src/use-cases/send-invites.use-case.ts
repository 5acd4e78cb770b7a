import { Injectable } from '@nestjs/common';
import {
  BulkInviteDto,
  BulkInviteResult,
  ContactView,
  DomainError,
  ErrorCode,
  InviteSenderCommand,
  InviteTargetDto,
  InviteView,
  SendInviteDto,
} from '@cp/contracts';
import { StaffPrincipal } from '../auth/principals';
import { ContactsClient, StaffIdentity } from '../repositories/contacts.client';
import { InvitesClient } from '../repositories/invites.client';
import { NotificationsClient } from '../repositories/notifications.client';

type Lookup =
  { contactId: string; target: InviteTargetDto } | { contactId: string; skipped: { code: ErrorCode; detail: string } };

/**
 * Sending invites needs facts from two services: the contact (its email, its clients) from
 * contacts, the sender and firm names for the email; the invites service then records each
 * invite durably before we answer.
 */
@Injectable()
export class SendInvites {
  constructor(
    private readonly contacts: ContactsClient,
    private readonly invites: InvitesClient,
    private readonly notifications: NotificationsClient,
  ) {}

  async one(staff: StaffPrincipal, contactId: string, input: SendInviteDto): Promise<InviteView> {
    const contact = await this.contacts.getContact(staff.scope, contactId);
    if (!contact.email) {
      throw new DomainError(
        ErrorCode.ContactEmailRequired,
        'Add an email address to this contact before inviting them.',
        { contactId },
      );
    }
    const clientId = contact.clientIds[0];
    if (!clientId) throw new DomainError(ErrorCode.NotFound, 'This contact belongs to no client.');
    const { results, invites } = await this.issue(staff, [target(contact, clientId)], input);
    const [result] = results;
    if (result.status === 'skipped') throw new DomainError(result.code as ErrorCode, result.detail, { contactId });
    return invites[0];
  }

  /**
   * One result per contact, in the order asked; one contact's problem never fails the rest. All
   * targets are looked up in one call to the contacts service and issued in one call to invites.
   */
  async bulk(staff: StaffPrincipal, clientId: string, input: BulkInviteDto): Promise<{ results: BulkInviteResult[] }> {
    const contactIds = [...new Set(input.contactIds)];
    // The client first: 404 for another firm's client. Contacts unreachable fails the whole bulk (503).
    const [, found] = await Promise.all([
      this.contacts.getClient(staff.scope, clientId),
      this.contacts.lookupContacts(staff.scope, contactIds),
    ]);
    const byId = new Map(found.map((c) => [c.id, c]));
    const lookups = contactIds.map((contactId) => check(byId.get(contactId), contactId, clientId));
    const targets = lookups.flatMap((l) => ('target' in l ? [l.target] : []));
    const issued = targets.length > 0 ? (await this.issue(staff, targets, input)).results : [];
    const byContact = new Map(issued.map((r) => [r.contactId, r]));
    return {
      results: lookups.map((l): BulkInviteResult =>
        'skipped' in l
          ? { contactId: l.contactId, status: 'skipped', code: l.skipped.code, detail: l.skipped.detail }
          : (byContact.get(l.contactId) as BulkInviteResult),
      ),
    };
  }

  private async issue(staff: StaffPrincipal, targets: InviteTargetDto[], input: SendInviteDto) {
    if (input.templateId) await this.notifications.getTemplate(staff.scope, input.templateId); // 404 if unknown
    const { user, firm } = await this.contacts.staffUser(staff.scope, staff.userId);
    return this.invites.issue(staff.scope, {
      targets,
      firmName: firm.name,
      firmSlug: firm.slug,
      ...inviteSender({ user, firm }),
      message: input.message,
      templateId: input.templateId,
    });
  }
}

/** The sender of an invite as the invites service records it: who, and the firm's look now. */
export function inviteSender({ user, firm }: StaffIdentity): InviteSenderCommand {
  return {
    inviterId: user.id,
    inviterName: user.name,
    inviterEmail: user.email,
    firmBranding: { logoUrl: firm.logoUrl ?? null, brandColor: firm.brandColor ?? null },
  };
}

function target(contact: ContactView, clientId: string): InviteTargetDto {
  return {
    contactId: contact.id,
    clientId,
    email: contact.email as string,
    contactFirstName: contact.firstName,
    contactLastName: contact.lastName,
  };
}

/** Whether this contact can be invited to this client, and as whom. */
function check(contact: ContactView | undefined, contactId: string, clientId: string): Lookup {
  if (!contact) return { contactId, skipped: { code: ErrorCode.NotFound, detail: 'No such contact.' } };
  if (!contact.clientIds.includes(clientId)) {
    return {
      contactId,
      skipped: { code: ErrorCode.NotFound, detail: 'This contact is not a contact of this client.' },
    };
  }
  if (!contact.email) {
    return {
      contactId,
      skipped: { code: ErrorCode.ContactEmailRequired, detail: 'The contact has no email address.' },
    };
  }
  return { contactId, target: target(contact, clientId) };
}
