import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { OutboxEvent } from '@cp/contracts';
import { appendEvents, DeliveryOutcome, isDuplicateKey, newerOutcome, withEvents } from '@cp/messaging';
import { afterCursor, FirmScope, PAGE_ORDER, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { Contact, PortalProjection } from './contact.schema';

export class EmailTakenError extends Error {}

/** The email, or a per-contact placeholder: see Contact.emailKey. */
export function emailKey(contactId: string, email: string | null): string {
  return email ?? `none:${contactId}`;
}

export type NewContact = Pick<Contact, 'clientIds' | 'firstName' | 'lastName' | 'email' | 'phone'> & { _id: string };
export type ContactChanges = Partial<Pick<Contact, 'clientIds' | 'firstName' | 'lastName' | 'email' | 'phone'>>;

/** Every contact read and write, always within one firm. */
@Injectable()
export class ContactRepository {
  constructor(@InjectModel(Contact.name) private readonly contacts: Model<Contact>) {}

  /** Stores the contact and its events in one atomic insert (see libs/messaging outbox.ts). */
  async insert(scope: FirmScope, contact: NewContact, events: OutboxEvent[]): Promise<Contact> {
    try {
      const doc = { ...contact, firmId: scope.firmId, emailKey: emailKey(contact._id, contact.email) };
      return (await this.contacts.create(withEvents(doc, events))).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new EmailTakenError();
      throw error;
    }
  }

  /**
   * Several contacts, each with its events, in one unordered insert. Answers the ids stored: one
   * whose email another contact took meanwhile (the unique index) is left out, the rest are kept.
   */
  async insertMany(scope: FirmScope, contacts: { contact: NewContact; events: OutboxEvent[] }[]): Promise<Set<string>> {
    if (contacts.length === 0) return new Set();
    const docs = contacts.map(({ contact, events }) =>
      withEvents({ ...contact, firmId: scope.firmId, emailKey: emailKey(contact._id, contact.email) }, events),
    );
    try {
      await this.contacts.insertMany(docs, { ordered: false });
      return new Set(docs.map((d) => d._id));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Which ones made it: one read by _id, whatever the driver's error shape.
      const stored = await this.contacts
        .find(scoped<Contact>(scope, { _id: { $in: docs.map((d) => d._id) } }), { _id: 1 })
        .lean<Pick<Contact, '_id'>[]>()
        .exec();
      return new Set(stored.map((c) => c._id));
    }
  }

  /** Links contacts to more clients and fills in phones, each with its events, in one bulkWrite. */
  async linkMany(
    scope: FirmScope,
    changes: { id: string; addClientIds: string[]; phone?: string; events: OutboxEvent[] }[],
  ): Promise<void> {
    if (changes.length === 0) return;
    await this.contacts.bulkWrite(
      changes.map((c) => ({
        updateOne: {
          filter: scoped<Contact>(scope, { _id: c.id }),
          update: appendEvents<Contact>(
            {
              ...(c.addClientIds.length > 0 ? { $addToSet: { clientIds: { $each: c.addClientIds } } } : {}),
              ...(c.phone ? { $set: { phone: c.phone } } : {}),
            },
            c.events,
          ),
        },
      })),
      { ordered: false },
    );
  }

  /** Who each contact is (email, clients, names), for a whole import in one read. */
  async identityIndex(
    scope: FirmScope,
  ): Promise<Pick<Contact, '_id' | 'email' | 'clientIds' | 'firstName' | 'lastName'>[]> {
    return this.contacts
      .find(scoped<Contact>(scope), { _id: 1, email: 1, clientIds: 1, firstName: 1, lastName: 1 })
      .lean<Pick<Contact, '_id' | 'email' | 'clientIds' | 'firstName' | 'lastName'>[]>()
      .exec();
  }

  async findById(scope: FirmScope, id: string): Promise<Contact | null> {
    return this.contacts
      .findOne(scoped<Contact>(scope, { _id: id }))
      .lean<Contact>()
      .exec();
  }

  /** The ones of these ids that are contacts of this firm, in one query by _id. */
  async findByIds(scope: FirmScope, ids: string[]): Promise<Contact[]> {
    return this.contacts
      .find(scoped<Contact>(scope, { _id: { $in: ids } }), { pendingEvents: 0 })
      .lean<Contact[]>()
      .exec();
  }

  async findByEmail(scope: FirmScope, email: string): Promise<Contact | null> {
    return this.contacts.findOne(scoped<Contact>(scope, { email })).lean<Contact>().exec();
  }

  /** `limit + 1` contacts of a client after the cursor. */
  async pageOfClient(
    scope: FirmScope,
    clientId: string,
    options: { cursor?: string; limit: number },
  ): Promise<Contact[]> {
    return this.contacts
      .find(scoped<Contact>(scope, { clientIds: clientId, ...afterCursor(options.cursor) }), { pendingEvents: 0 })
      .sort(PAGE_ORDER)
      .limit(options.limit + 1)
      .lean<Contact[]>()
      .exec();
  }

  /** Applies the changes and records their events in the same atomic update. */
  async update(scope: FirmScope, id: string, changes: ContactChanges, events: OutboxEvent[]): Promise<Contact | null> {
    const set: Record<string, unknown> = { ...changes };
    if ('email' in changes) set.emailKey = emailKey(id, changes.email ?? null);
    try {
      return await this.contacts
        .findOneAndUpdate(scoped<Contact>(scope, { _id: id }), appendEvents<Contact>({ $set: set }, events), {
          new: true,
        })
        .lean<Contact>()
        .exec();
    } catch (error) {
      if (isDuplicateKey(error)) throw new EmailTakenError();
      throw error;
    }
  }

  async remove(scope: FirmScope, id: string): Promise<boolean> {
    return (await this.contacts.deleteOne(scoped<Contact>(scope, { _id: id }))).deletedCount === 1;
  }

  /** A deleted client is removed from every contact that was linked to it. */
  async unlinkClient(scope: FirmScope, clientId: string): Promise<void> {
    await this.contacts.updateMany(scoped<Contact>(scope, { clientIds: clientId }), { $pull: { clientIds: clientId } });
  }

  /** Records an email outcome unless a newer one is already there. */
  async recordInviteEmail(scope: FirmScope, id: string, outcome: DeliveryOutcome): Promise<void> {
    const { filter, update } = newerOutcome('inviteEmail', outcome);
    await this.contacts.updateOne(scoped<Contact>(scope, { _id: id, ...filter }), update);
  }

  /**
   * `replacePortal` for many contacts in one bulkWrite; answers how many were written (a contact
   * changed since its `rev` was read is left as it is).
   */
  async replacePortals(
    scope: FirmScope,
    changes: { id: string; rev: number; portal: PortalProjection }[],
  ): Promise<number> {
    if (changes.length === 0) return 0;
    const result = await this.contacts.bulkWrite(
      changes.map(({ id, rev, portal }) => ({
        updateOne: {
          filter: { _id: id, firmId: scope.firmId, 'portal.rev': rev },
          update: { $set: { portal: { ...portal, rev: rev + 1 } } },
        },
      })),
      { ordered: false },
    );
    return result.modifiedCount;
  }

  /** `recordInviteEmail` for many in one bulkWrite; each applies only over an older outcome. */
  async recordInviteEmails(scope: FirmScope, outcomes: { id: string; outcome: DeliveryOutcome }[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.contacts.bulkWrite(
      outcomes.map(({ id, outcome }) => {
        const { filter, update } = newerOutcome('inviteEmail', outcome);
        return { updateOne: { filter: { _id: id, firmId: scope.firmId, ...filter }, update } };
      }),
      { ordered: false },
    );
  }

  /** Writes a new projection only if nobody changed it since `rev` was read. */
  async replacePortal(
    scope: FirmScope,
    id: string,
    rev: number,
    portal: PortalProjection,
    events: OutboxEvent[] = [],
  ): Promise<boolean> {
    const result = await this.contacts.updateOne(
      scoped<Contact>(scope, { _id: id, 'portal.rev': rev }),
      appendEvents<Contact>({ $set: { portal: { ...portal, rev: rev + 1 } } }, events),
    );
    return result.modifiedCount === 1;
  }
}
