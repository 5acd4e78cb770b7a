import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { OutboxEvent } from '@cp/contracts';
import { withEvents } from '@cp/messaging';
import { FirmScope, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { Contact } from './contact.schema';

export class EmailTakenError extends Error {}

export function emailKey(contactId: string, email: string | null): string {
  return email ?? `none:${contactId}`;
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000;
}

export type NewContact = Pick<Contact, 'clientIds' | 'firstName' | 'lastName' | 'email' | 'phone'> & { _id: string };

/** Every contact read and write, always within one firm. */
@Injectable()
export class ContactRepository {
  constructor(@InjectModel(Contact.name) private readonly contacts: Model<Contact>) {}

  /** Stores the contact and its events in one atomic insert (see outbox.ts). */
  async insert(scope: FirmScope, contact: NewContact, events: OutboxEvent[]): Promise<Contact> {
    try {
      const doc = { ...contact, firmId: scope.firmId, emailKey: emailKey(contact._id, contact.email) };
      const created = await this.contacts.create(withEvents(doc, events));
      return created.toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new EmailTakenError();
      throw error;
    }
  }

  findById(scope: FirmScope, id: string): Promise<Contact | null> {
    return this.contacts
      .findOne(scoped<Contact>(scope, { _id: id }))
      .lean<Contact>()
      .exec();
  }

  findByEmail(scope: FirmScope, email: string): Promise<Contact | null> {
    return this.contacts.findOne(scoped<Contact>(scope, { email })).lean<Contact>().exec();
  }
}
