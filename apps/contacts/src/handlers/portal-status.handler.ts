import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, Topic } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { ContactRepository } from '../repositories/contact.repository';
import { deliveryOutcome, DeliveryOutcome, EventConsumer } from '@cp/messaging';
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
    // A burst of invites brings many events at once: folded per contact, in order, in one write.
    for (const topic of PORTAL_TOPICS) {
      const apply = async (event: EventEnvelope<typeof topic>) => this.applyPortalEvent.execute(event as PortalEvent);
      const applyMany = async (events: EventEnvelope<typeof topic>[]) =>
        this.applyPortalEvent.executeMany(events as PortalEvent[]);
      this.events.on(topic, apply, applyMany);
    }
    this.events.on(Topic.NewLinkRequested, async (event) => this.newLinkRequests.execute(event));
    const record = async (e: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>) => this.recordEmail(e);
    const recordMany = async (events: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>[]) =>
      this.recordEmails(events);
    this.events.on(Topic.NotificationSent, record, recordMany);
    this.events.on(Topic.NotificationFailed, record, recordMany);
  }

  /** Many outcomes in one write per firm (each applies only over an older one, in any order). */
  private async recordEmails(
    events: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>[],
  ): Promise<void> {
    const byFirm = new Map<string, { id: string; outcome: DeliveryOutcome }[]>();
    for (const event of events) {
      if (!event.data.contactId || !event.data.inviteId) continue; // not an invite email
      const outcomes = byFirm.get(event.firmId) ?? [];
      outcomes.push({ id: event.data.contactId, outcome: deliveryOutcome(event) });
      byFirm.set(event.firmId, outcomes);
    }
    for (const [firmId, outcomes] of byFirm) await this.contacts.recordInviteEmails(firmScope(firmId), outcomes);
  }

  private async recordEmail(event: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>): Promise<void> {
    if (!event.data.contactId || !event.data.inviteId) return; // not an invite email
    await this.contacts.recordInviteEmail(firmScope(event.firmId), event.data.contactId, deliveryOutcome(event));
  }
}
