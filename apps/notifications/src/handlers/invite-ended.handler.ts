import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { EventEnvelope, Topic } from '@cp/contracts';
import { EventHandling } from '@cp/messaging';
import { ReminderRepository } from '../repositories/reminder.repository';
import { DeliverEmail } from '../use-cases/deliver-email.use-case';

type EndedTopic = Topic.InviteAccepted | Topic.InviteRevoked | Topic.InviteExpired;

/**
 * An invite that was accepted, revoked or expired gets no more reminders; an accepted one also
 * tells the staff member who sent it (once: the notice's id is its idempotency key).
 */
@Controller()
export class InviteEndedHandler {
  constructor(
    private readonly events: EventHandling,
    private readonly reminders: ReminderRepository,
    private readonly deliver: DeliverEmail,
  ) {}

  private async end<T extends EndedTopic>(
    topic: T,
    value: unknown,
    ctx: KafkaContext,
    then?: (event: EventEnvelope<T>) => Promise<void>,
  ) {
    return this.events.handle(topic, value, ctx, async (event) => {
      await this.reminders.end(event.data.inviteId, new Date(event.occurredAt));
      await then?.(event);
    });
  }

  @EventPattern(Topic.InviteAccepted)
  async onAccepted(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.end(Topic.InviteAccepted, value, ctx, async (event) =>
      this.deliver.enqueueNotice({
        kind: 'accepted-notice',
        id: `accepted:${event.data.inviteId}`,
        firmId: event.firmId,
        inviteId: event.data.inviteId,
        contactId: event.data.contactId,
        payload: { acceptedAt: event.data.acceptedAt },
        correlationId: event.correlationId,
      }),
    );
  }

  @EventPattern(Topic.InviteRevoked)
  async onRevoked(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.end(Topic.InviteRevoked, value, ctx);
  }

  @EventPattern(Topic.InviteExpired)
  async onExpired(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.end(Topic.InviteExpired, value, ctx);
  }
}
