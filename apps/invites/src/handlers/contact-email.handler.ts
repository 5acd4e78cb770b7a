import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { Topic } from '@cp/contracts';
import { EventHandling } from '@cp/messaging';
import { firmScope } from '@cp/platform';
import { Invitations } from '../use-cases/invitations.use-case';

/** A contact's email changed: its pending invite went to the old address, so it is revoked. */
@Controller()
export class ContactEmailHandler {
  constructor(
    private readonly events: EventHandling,
    private readonly invitations: Invitations,
  ) {}

  @EventPattern(Topic.ContactUpdated)
  onContactUpdated(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.events.handle(Topic.ContactUpdated, value, ctx, async (event) => {
      if (!('email' in event.data.changed)) return;
      const email = event.data.changed.email ?? null;
      await this.invitations.revokePendingFor(firmScope(event.firmId), event.data.contactId, email);
    });
  }
}
