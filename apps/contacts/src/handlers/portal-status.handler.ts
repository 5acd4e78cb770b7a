import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, Topic } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { ContactRepository } from '../repositories/contact.repository';
import { concurrentlyByKey, deliveryOutcome, EventConsumer } from '@cp/messaging';
import { ApplyPortalEvent } from '../use-cases/apply-portal-event.use-case';
import { RecordNewLinkRequest } from '../use-cases/new-link-request.use-case';
import { PortalEvent } from '../use-cases/portal-status';

const PORTAL_TOPICS = [
  Topic.InviteSent,
  Topic.InviteAccepted,
  Topic.InviteRevoked,
  Topic.InviteExpired,
  Topic.PortalLogin,
] as const;

/** Keeps each contact's portal status (and its latest invite email) from other services' events. */
@Injectable()
export class PortalStatusHandler implements OnModuleInit {
  constructor(
    private readonly events: EventConsumer,
    private readonly applyPortalEvent: ApplyPortalEvent,
    private readonly contacts: ContactRepository,
    private readonly newLinkRequests: RecordNewLinkRequest,
  ) {}

  onModuleInit(): void {
    // A burst of invites brings many events at once: contacts side by side, each contact's in order.
    const byContact = (event: EventEnvelope<Topic>) => String((event.data as { contactId?: unknown }).contactId);
    for (const topic of PORTAL_TOPICS) {
      const apply = async (event: EventEnvelope<typeof topic>) => this.applyPortalEvent.execute(event as PortalEvent);
      this.events.on(topic, apply, concurrentlyByKey(apply, byContact));
    }
    this.events.on(Topic.NewLinkRequested, async (event) => this.newLinkRequests.execute(event));
    const record = async (e: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>) => this.recordEmail(e);
    this.events.on(Topic.NotificationSent, record, concurrentlyByKey(record, byContact));
    this.events.on(Topic.NotificationFailed, record, concurrentlyByKey(record, byContact));
  }

  private async recordEmail(event: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>): Promise<void> {
    if (!event.data.contactId || !event.data.inviteId) return; // not an invite email
    await this.contacts.recordInviteEmail(firmScope(event.firmId), event.data.contactId, deliveryOutcome(event));
  }
}
