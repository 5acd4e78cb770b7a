import { Injectable } from '@nestjs/common';
import { createEvent, DomainError, ErrorCode, Topic, UpdateContactDto } from '@cp/contracts';
import { eventContext, FirmScope } from '@cp/platform';
import { ClientRepository } from '../repositories/client.repository';
import { ContactChanges, ContactRepository, EmailTakenError } from '../repositories/contact.repository';
import { Contact } from '../repositories/contact.schema';
import { assertEmailFree } from './add-contact.use-case';

export const contactNotFound = () => new DomainError(ErrorCode.NotFound, 'No such contact.');

const FIELDS = ['firstName', 'lastName', 'email', 'phone', 'clientIds'] as const;

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Edits a contact (including adding the email it lacked) and announces what changed. */
@Injectable()
export class UpdateContact {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly clients: ClientRepository,
  ) {}

  async execute(scope: FirmScope, contactId: string, input: UpdateContactDto): Promise<Contact> {
    const current = await this.contacts.findById(scope, contactId);
    if (!current) throw contactNotFound();
    const clientIds = input.clientIds ? [...new Set(input.clientIds)] : undefined;
    if (clientIds && (await this.clients.countOwned(scope, clientIds)) !== clientIds.length) {
      // Another firm's client id looks exactly like an unknown one.
      throw new DomainError(ErrorCode.NotFound, 'No such client.');
    }
    const requested: ContactChanges = { ...input, ...(clientIds ? { clientIds } : {}) };
    const changes: ContactChanges = {};
    for (const field of FIELDS) {
      if (field in requested && requested[field] !== undefined && !sameValue(requested[field], current[field])) {
        Object.assign(changes, { [field]: requested[field] });
      }
    }
    if (Object.keys(changes).length === 0) return current;
    if (changes.email) await assertEmailFree(this.contacts, scope, changes.email, contactId);

    const updated = createEvent({
      topic: Topic.ContactUpdated,
      firmId: scope.firmId,
      ...eventContext(),
      key: contactId,
      data: { contactId, changed: changes },
    });
    try {
      const contact = await this.contacts.update(scope, contactId, changes, [updated]);
      if (!contact) throw contactNotFound();
      return contact;
    } catch (error) {
      if (error instanceof EmailTakenError && changes.email)
        await assertEmailFree(this.contacts, scope, changes.email, contactId);
      throw error;
    }
  }
}
