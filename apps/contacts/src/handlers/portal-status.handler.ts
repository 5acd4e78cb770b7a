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

  private async apply(topic: PortalTopic, value: unknown, ctx: KafkaContext) {
    return this.events.handle(topic, value, ctx, async (event) => this.applyPortalEvent.execute(event as PortalEvent));
  }

  @EventPattern(Topic.InviteSent)
  async onInviteSent(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.apply(Topic.InviteSent, value, ctx);
  }

  @EventPattern(Topic.InviteAccepted)
  async onInviteAccepted(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.apply(Topic.InviteAccepted, value, ctx);
  }

  @EventPattern(Topic.InviteRevoked)
  async onInviteRevoked(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.apply(Topic.InviteRevoked, value, ctx);
  }

  @EventPattern(Topic.InviteExpired)
  async onInviteExpired(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.apply(Topic.InviteExpired, value, ctx);
  }

  @EventPattern(Topic.NotificationSent)
  async onNotificationSent(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.events.handle(Topic.NotificationSent, value, ctx, async (e) => this.recordEmail(e));
  }

  @EventPattern(Topic.NotificationFailed)
  async onNotificationFailed(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.events.handle(Topic.NotificationFailed, value, ctx, async (e) => this.recordEmail(e));
  }

  private async recordEmail(event: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>): Promise<void> {
    if (!event.data.contactId || !event.data.inviteId) return; // not an invite email
    await this.contacts.recordInviteEmail(firmScope(event.firmId), event.data.contactId, deliveryOutcome(event));
  }

  @EventPattern(Topic.PortalLogin)
  async onPortalLogin(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.apply(Topic.PortalLogin, value, ctx);
  }
}
