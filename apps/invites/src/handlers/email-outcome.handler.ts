import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, Topic } from '@cp/contracts';
import { concurrentlyByKey, deliveryOutcome, EventConsumer } from '@cp/messaging';
import { firmScope } from '@cp/platform';
import { InviteRepository } from '../repositories/invite.repository';

/** Shows on each invite whether its latest email went out or failed. */
@Injectable()
export class EmailOutcomeHandler implements OnModuleInit {
  constructor(
    private readonly events: EventConsumer,
    private readonly invites: InviteRepository,
  ) {}

  onModuleInit(): void {
    // Invites side by side, each invite's outcomes in order: a burst costs a few round trips of latency.
    const record = async (e: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>) => this.record(e);
    const byInvite = (e: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>) => String(e.data.inviteId);
    this.events.on(Topic.NotificationSent, record, concurrentlyByKey(record, byInvite));
    this.events.on(Topic.NotificationFailed, record, concurrentlyByKey(record, byInvite));
  }

  private async record(event: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>): Promise<void> {
    if (event.data.inviteId)
      await this.invites.recordEmail(firmScope(event.firmId), event.data.inviteId, deliveryOutcome(event));
  }
}
