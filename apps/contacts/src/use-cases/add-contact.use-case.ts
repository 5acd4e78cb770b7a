import { Injectable } from '@nestjs/common';
import { AddContactDto, createEvent, DomainError, ErrorCode, Topic } from '@cp/contracts';
import { eventContext, FirmScope } from '@cp/platform';
import { randomUUID } from 'node:crypto';
import { ClientRepository } from '../repositories/client.repository';
import { ContactRepository, EmailTakenError } from '../repositories/contact.repository';
import { Contact } from '../repositories/contact.schema';
import { clientNotFound } from './client-directory.use-case';

/** One email belongs to at most one contact of a firm; the answer names the one that has it. */
export async function assertEmailFree(
  contacts: ContactRepository,
  scope: FirmScope,
  email: string,
  self?: string,
): Promise<void> {
  const existing = await contacts.findByEmail(scope, email);
  if (existing && existing._id !== self) {
    throw new DomainError(ErrorCode.ContactEmailTaken, `Another contact of this firm already uses ${email}.`, {
      contactId: existing._id,
    });
  }
}

/** Staff add a person at a client; the rest of the system learns of it through ContactAdded. */
@Injectable()
export class AddContact {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly clients: ClientRepository,
  ) {}

  async execute(scope: FirmScope, clientId: string, input: AddContactDto): Promise<Contact> {
    if (!(await this.clients.findById(scope, clientId))) throw clientNotFound();
    const email = input.email ?? null;
    if (email) await assertEmailFree(this.contacts, scope, email);
    const contactId = randomUUID();
    const added = createEvent({
      topic: Topic.ContactAdded,
      firmId: scope.firmId,
      ...eventContext(),
      key: contactId,
      data: { contactId, clientIds: [clientId], firstName: input.firstName, lastName: input.lastName, email },
    });
    const contact = {
      _id: contactId,
      clientIds: [clientId],
      firstName: input.firstName,
      lastName: input.lastName,
      email,
      phone: input.phone ?? null,
    };
    try {
      return await this.contacts.insert(scope, contact, [added]);
    } catch (error) {
      // Two requests raced past the check above; the unique index decided. Name the winner.
      if (error instanceof EmailTakenError && email) await assertEmailFree(this.contacts, scope, email);
      throw error;
    }
  }
}
