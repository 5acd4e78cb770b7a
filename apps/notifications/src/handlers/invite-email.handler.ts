import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { Topic } from '@cp/contracts';
import { EventHandling } from '@cp/messaging';
import { DeliverEmail } from '../use-cases/deliver-email.use-case';

@Controller()
export class InviteEmailHandler {
  constructor(
    private readonly events: EventHandling,
    private readonly deliver: DeliverEmail,
  ) {}

  @EventPattern(Topic.InviteEmailRequested)
  async onInviteEmailRequested(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.events.handle(Topic.InviteEmailRequested, value, ctx, async (event) =>
      this.deliver.enqueueInvite(event),
    );
  }
}
