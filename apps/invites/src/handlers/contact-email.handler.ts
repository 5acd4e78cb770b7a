import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { Topic } from '@cp/contracts';
import { EventHandling } from '@cp/messaging';
import { firmScope } from '@cp/platform';
import { Invitations } from '../use-cases/invitations.use-case';

/** A contact's email changed: a pending invite sent to another address is revoked. */
@Controller()
export class ContactEmailHandler {
  constructor(
    private readonly events: EventHandling,
    private readonly invitations: Invitations,
  ) {}

  @EventPattern(Topic.ContactUpdated)
  async onContactUpdated(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.events.handle(Topic.ContactUpdated, value, ctx, async (event) => {
      if (!('email' in event.data.changed)) return;
      await this.invitations.revokeSentElsewhere(
        firmScope(event.firmId),
        event.data.contactId,
        event.data.changed.email ?? null,
      );
    });
  }
}
