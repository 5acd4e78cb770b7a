import { Injectable } from '@nestjs/common';
import { firmScope } from '@cp/platform';
import { ContactRepository } from '../repositories/contact.repository';
import { applyPortalEvent, PortalEvent } from './portal-status';

/** Folds an invite or login event into the contact's portal status (see portal-status.ts). */
@Injectable()
export class ApplyPortalEvent {
  constructor(private readonly contacts: ContactRepository) {}

  async execute(event: PortalEvent): Promise<void> {
    const scope = firmScope(event.firmId);
    const contactId = event.data.contactId;
    // Optimistic concurrency: another replica may apply another event to the same contact.
    for (let attempt = 0; attempt < 10; attempt++) {
      const contact = await this.contacts.findById(scope, contactId);
      if (!contact) return; // deleted, or not ours: nothing to show a status on
      const rev = contact.portal?.rev ?? 0;
      const next = applyPortalEvent(contact.portal, event);
      if (await this.contacts.replacePortal(scope, contactId, rev, next)) return;
    }
    throw new Error(`portal status of contact ${contactId} kept changing; will retry`);
  }

  /**
   * A batch: one read of its contacts per firm, each contact's events folded in their order, one
   * bulkWrite. If another writer changed one of them meanwhile, this throws and the consumer
   * applies the batch one event at a time (applying an event twice changes nothing).
   */
  async executeMany(events: PortalEvent[]): Promise<void> {
    const byFirm = new Map<string, Map<string, PortalEvent[]>>();
    for (const event of events) {
      const contacts = byFirm.get(event.firmId) ?? new Map<string, PortalEvent[]>();
      contacts.set(event.data.contactId, [...(contacts.get(event.data.contactId) ?? []), event]);
      byFirm.set(event.firmId, contacts);
    }
    for (const [firmId, eventsOf] of byFirm) {
      const scope = firmScope(firmId);
      const found = await this.contacts.findByIds(scope, [...eventsOf.keys()]);
      // A contact not found is deleted, or not this firm's: nothing to show a status on.
      const replacements = found.map((contact) => ({
        id: contact._id,
        rev: contact.portal?.rev ?? 0,
        portal: (eventsOf.get(contact._id) ?? []).reduce(applyPortalEvent, contact.portal),
      }));
      const written = await this.contacts.replacePortals(scope, replacements);
      if (written < replacements.length) throw new Error('portal statuses changed meanwhile; applying one by one');
    }
  }
}
