import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { EventEnvelope, Topic } from '@cp/contracts';
import { EventHandling } from '@cp/messaging';
import { ReminderRepository } from '../repositories/reminder.repository';

type EndedTopic = Topic.InviteAccepted | Topic.InviteRevoked | Topic.InviteExpired;

/** An invite that was accepted, revoked or expired gets no more reminders. */
@Controller()
export class InviteEndedHandler {
  constructor(
    private readonly events: EventHandling,
    private readonly reminders: ReminderRepository,
  ) {}

  private end(topic: EndedTopic, value: unknown, ctx: KafkaContext) {
    return this.events.handle(topic, value, ctx, (event: EventEnvelope<EndedTopic>) =>
      this.reminders.end(event.data.inviteId, new Date(event.occurredAt)),
    );
  }

  @EventPattern(Topic.InviteAccepted)
  onAccepted(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.end(Topic.InviteAccepted, value, ctx);
  }

  @EventPattern(Topic.InviteRevoked)
  onRevoked(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.end(Topic.InviteRevoked, value, ctx);
  }

  @EventPattern(Topic.InviteExpired)
  onExpired(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.end(Topic.InviteExpired, value, ctx);
  }
}
