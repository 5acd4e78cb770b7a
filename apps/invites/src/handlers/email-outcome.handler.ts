import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { EventEnvelope, Topic } from '@cp/contracts';
import { deliveryOutcome, EventHandling } from '@cp/messaging';
import { firmScope } from '@cp/platform';
import { InviteRepository } from '../repositories/invite.repository';

/** Shows on each invite whether its latest email went out or failed. */
@Controller()
export class EmailOutcomeHandler {
  constructor(
    private readonly events: EventHandling,
    private readonly invites: InviteRepository,
  ) {}

  @EventPattern(Topic.NotificationSent)
  async onSent(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.events.handle(Topic.NotificationSent, value, ctx, async (e) => this.record(e));
  }

  @EventPattern(Topic.NotificationFailed)
  async onFailed(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.events.handle(Topic.NotificationFailed, value, ctx, async (e) => this.record(e));
  }

  private async record(event: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>): Promise<void> {
    if (event.data.inviteId)
      await this.invites.recordEmail(firmScope(event.firmId), event.data.inviteId, deliveryOutcome(event));
  }
}
