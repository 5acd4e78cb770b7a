import { Injectable } from '@nestjs/common';
import { firmScope } from '@cp/platform';
import { ContactRepository } from '../repositories/contact.repository';
import { PortalProjection } from '../repositories/contact.schema';
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
   * Many events at once (a bulk invite's burst): per firm, one read of the contacts concerned, each
   * contact's events folded in their order, one bulkWrite. Per event this cost two round trips, and
   * the status trailed the emails of a 1,000-contact bulk (test:faults). A contact that changed
   * meanwhile fails the batch: it is then applied event by event (folding is idempotent).
   */
  async executeMany(events: PortalEvent[]): Promise<void> {
    const byFirm = new Map<string, PortalEvent[]>();
    for (const event of events) byFirm.set(event.firmId, [...(byFirm.get(event.firmId) ?? []), event]);
    for (const [firmId, firmEvents] of byFirm) {
      const scope = firmScope(firmId);
      const contacts = await this.contacts.findByIds(scope, [...new Set(firmEvents.map((e) => e.data.contactId))]);
      const changes = new Map<string, { id: string; rev: number; portal: PortalProjection }>(
        contacts.map((c) => [c._id, { id: c._id, rev: c.portal?.rev ?? 0, portal: c.portal }]),
      );
      for (const event of firmEvents) {
        const change = changes.get(event.data.contactId);
        if (change) change.portal = applyPortalEvent(change.portal, event); // else deleted, or not ours
      }
      const written = await this.contacts.replacePortals(scope, [...changes.values()]);
      if (written < changes.size) throw new Error(`${changes.size - written} portal statuses changed meanwhile`);
    }
  }
}
