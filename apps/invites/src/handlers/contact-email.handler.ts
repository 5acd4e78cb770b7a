import { Injectable, OnModuleInit } from '@nestjs/common';
import { Topic } from '@cp/contracts';
import { EventConsumer } from '@cp/messaging';
import { firmScope } from '@cp/platform';
import { Invitations } from '../use-cases/invitations.use-case';

/** A contact's email changed: its pending invite went to the old address, so it is revoked. */
@Injectable()
export class ContactEmailHandler implements OnModuleInit {
  constructor(
    private readonly events: EventConsumer,
    private readonly invitations: Invitations,
  ) {}

  onModuleInit(): void {
    this.events.on(Topic.ContactUpdated, async (event) => {
      if (!('email' in event.data.changed)) return;
      await this.invitations.revokeSentElsewhere(
        firmScope(event.firmId),
        event.data.contactId,
        event.data.changed.email ?? null,
      );
    });
  }
}
