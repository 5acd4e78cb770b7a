import { Injectable } from '@nestjs/common';
import { createEvent, DomainError, ErrorCode, Topic } from '@cp/contracts';
import { currentCorrelationId, FirmScope } from '@cp/platform';
import { randomUUID } from 'node:crypto';
import { AddContactDto } from '../dto/contact.dto';
import { ContactRepository, EmailTakenError } from '../repositories/contact.repository';
import { Contact } from '../repositories/contact.schema';

/** Staff add a person at a client; the rest of the system learns of it through ContactAdded. */
@Injectable()
export class AddContact {
  constructor(private readonly contacts: ContactRepository) {}

  async execute(scope: FirmScope, input: AddContactDto): Promise<Contact> {
    const email = input.email ?? null;
    if (email) await this.assertEmailFree(scope, email);
    const contactId = randomUUID();
    const clientIds = [...new Set(input.clientIds ?? [])];
    const added = createEvent({
      topic: Topic.ContactAdded,
      firmId: scope.firmId,
      correlationId: currentCorrelationId() ?? randomUUID(),
      key: contactId,
      data: { contactId, clientIds, firstName: input.firstName, lastName: input.lastName, email },
    });
    try {
      return await this.contacts.insert(
        scope,
        {
          _id: contactId,
          clientIds,
          firstName: input.firstName,
          lastName: input.lastName,
          email,
          phone: input.phone ?? null,
        },
        [added],
      );
    } catch (error) {
      // Two requests raced past the check above; the unique index decided.
      if (error instanceof EmailTakenError && email) await this.assertEmailFree(scope, email);
      throw error;
    }
  }

  private async assertEmailFree(scope: FirmScope, email: string): Promise<void> {
    const existing = await this.contacts.findByEmail(scope, email);
    if (existing) {
      throw new DomainError(ErrorCode.ContactEmailTaken, `Another contact of this firm already uses ${email}.`, {
        contactId: existing._id,
      });
    }
  }
}
