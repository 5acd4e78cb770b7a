import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, Topic } from '@cp/contracts';
import { EventConsumer } from '@cp/messaging';
import { ReminderRepository } from '../repositories/reminder.repository';
import { DeliverEmail } from '../use-cases/deliver-email.use-case';

type EndedTopic = Topic.InviteAccepted | Topic.InviteRevoked | Topic.InviteExpired;

/**
 * An invite that was accepted, revoked or expired gets no more reminders; an accepted one also
 * tells the staff member who sent it (once: the notice's id is its idempotency key).
 */
@Injectable()
export class InviteEndedHandler implements OnModuleInit {
  constructor(
    private readonly events: EventConsumer,
    private readonly reminders: ReminderRepository,
    private readonly deliver: DeliverEmail,
  ) {}

  private end<T extends EndedTopic>(topic: T, then?: (event: EventEnvelope<T>) => Promise<void>) {
    this.events.on(topic, async (event) => {
      await this.reminders.end(event.data.inviteId, new Date(event.occurredAt));
      await then?.(event);
    });
  }

  onModuleInit(): void {
    this.end(Topic.InviteAccepted, async (event) =>
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
    this.end(Topic.InviteRevoked);
    this.end(Topic.InviteExpired);
  }
}
