import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { EventEnvelope, Topic } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { ContactRepository } from '../repositories/contact.repository';
import { deliveryOutcome, EventHandling } from '@cp/messaging';
import { ApplyPortalEvent } from '../use-cases/apply-portal-event.use-case';
import { PortalEvent } from '../use-cases/portal-status';

type PortalTopic =
  Topic.InviteSent | Topic.InviteAccepted | Topic.InviteRevoked | Topic.InviteExpired | Topic.PortalLogin;

/** Keeps each contact's portal status (and its latest invite email) from other services' events. */
@Controller()
export class PortalStatusHandler {
  constructor(
    private readonly events: EventHandling,
    private readonly applyPortalEvent: ApplyPortalEvent,
    private readonly contacts: ContactRepository,
  ) {}

  private apply(topic: PortalTopic, value: unknown, ctx: KafkaContext) {
    return this.events.handle(topic, value, ctx, (event) => this.applyPortalEvent.execute(event as PortalEvent));
  }

  @EventPattern(Topic.InviteSent)
  onInviteSent(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.apply(Topic.InviteSent, value, ctx);
  }

  @EventPattern(Topic.InviteAccepted)
  onInviteAccepted(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.apply(Topic.InviteAccepted, value, ctx);
  }

  @EventPattern(Topic.InviteRevoked)
  onInviteRevoked(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.apply(Topic.InviteRevoked, value, ctx);
  }

  @EventPattern(Topic.InviteExpired)
  onInviteExpired(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.apply(Topic.InviteExpired, value, ctx);
  }

  @EventPattern(Topic.NotificationSent)
  onNotificationSent(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.events.handle(Topic.NotificationSent, value, ctx, (e) => this.recordEmail(e));
  }

  @EventPattern(Topic.NotificationFailed)
  onNotificationFailed(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.events.handle(Topic.NotificationFailed, value, ctx, (e) => this.recordEmail(e));
  }

  private async recordEmail(event: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>): Promise<void> {
    if (!event.data.contactId || !event.data.inviteId) return; // not an invite email
    await this.contacts.recordInviteEmail(firmScope(event.firmId), event.data.contactId, deliveryOutcome(event));
  }

  @EventPattern(Topic.PortalLogin)
  onPortalLogin(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.apply(Topic.PortalLogin, value, ctx);
  }
}
