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
}
