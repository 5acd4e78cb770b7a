import { Injectable } from '@nestjs/common';
import { firmAppUrl } from '@cp/config';
import { createEvent, EventEnvelope, Topic } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { ContactsConfig } from '../config';
import { ContactRepository } from '../repositories/contact.repository';
import { FirmRepository } from '../repositories/firm.repository';
import { StaffUserRepository } from '../repositories/staff-user.repository';
import { applyPortalEvent } from './portal-status';

/**
 * A contact asked for a new link from an expired or revoked one: the contact's row shows it, and
 * the staff member who sent the invite (or, when that person is gone, the firm's owners) is
 * emailed. Both are one write of the contact: its portal status and the email command.
 * Idempotent: a repeat sets the same date, and its command has the same idempotency key.
 */
@Injectable()
export class RecordNewLinkRequest {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly users: StaffUserRepository,
    private readonly firms: FirmRepository,
    private readonly config: ContactsConfig,
  ) {}

  async execute(event: EventEnvelope<Topic.NewLinkRequested>): Promise<void> {
    const scope = firmScope(event.firmId);
    const { contactId, inviteId, inviteState, invitedBy, clientId } = event.data;
    const to = await this.recipients(event.firmId, invitedBy);
    const firm = await this.firms.findById(event.firmId);
    for (let attempt = 0; attempt < 10; attempt++) {
      const contact = await this.contacts.findById(scope, contactId);
      if (!contact || !firm) return; // deleted: nobody to ask about
      const client = clientId && contact.clientIds.includes(clientId) ? clientId : (contact.clientIds[0] ?? null);
      const command = createEvent({
        topic: Topic.NewLinkEmailRequested,
        firmId: event.firmId,
        correlationId: event.correlationId,
        key: contactId,
        data: {
          inviteId,
          contactId,
          clientId: client,
          requestedAt: event.occurredAt,
          inviteState,
          to,
          contactFirstName: contact.firstName,
          contactLastName: contact.lastName,
          contactEmail: contact.email,
          firmName: firm.name,
          contactUrl: `${firmAppUrl(this.config)}/clients/${encodeURIComponent(client ?? '')}`,
        },
      });
      const rev = contact.portal?.rev ?? 0;
      const next = applyPortalEvent(contact.portal, event);
      const events = to.length > 0 ? [command] : [];
      if (await this.contacts.replacePortal(scope, contactId, rev, next, events)) return;
    }
    throw new Error(`portal status of contact ${contactId} kept changing; will retry`);
  }

  /** The inviter while they are still staff of this firm; otherwise every owner. */
  private async recipients(firmId: string, invitedBy: string | undefined): Promise<string[]> {
    const scope = firmScope(firmId);
    const inviter = invitedBy ? await this.users.findById(scope, invitedBy) : null;
    if (inviter) return [inviter.email];
    return (await this.users.owners(scope)).map((owner) => owner.email);
  }
}
