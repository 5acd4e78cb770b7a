import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, Topic } from '@cp/contracts';
import { deliveryOutcome, EventConsumer } from '@cp/messaging';
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
    this.events.on(Topic.NotificationSent, async (e) => this.record(e));
    this.events.on(Topic.NotificationFailed, async (e) => this.record(e));
  }

  private async record(event: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>): Promise<void> {
    if (event.data.inviteId)
      await this.invites.recordEmail(firmScope(event.firmId), event.data.inviteId, deliveryOutcome(event));
  }
}
