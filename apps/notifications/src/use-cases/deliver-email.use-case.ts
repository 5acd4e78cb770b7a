import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { keyFromBase64, unseal } from '@cp/auth';
import { createEvent, EventEnvelope, InviteEmailRequestedData, OutboxEvent, Topic } from '@cp/contracts';
import { runWithCorrelationId } from '@cp/platform';
import { randomUUID } from 'node:crypto';
import { NotificationsConfig } from '../config';
import { DeliveryRepository } from '../repositories/delivery.repository';
import { Delivery } from '../repositories/delivery.schema';
import { isPermanentSmtpFailure, MailTransport } from '../repositories/mail-transport.repository';
import { renderEmail } from '../templates/email-template';
import { DEFAULT_INVITE_TEMPLATE, REMINDER_TEMPLATE } from '../templates/presets';
import { ReminderRepository } from '../repositories/reminder.repository';
import { EmailTemplates } from './email-templates.use-case';
import { firmScope } from '@cp/platform';

/** Temporary failures (SMTP down, 4xx) are retried for this long before the email is failed. */
const GIVE_UP_AFTER_MS = 24 * 3600 * 1000;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;
const LEASE_MS = 60_000;

class UnrenderableEmail extends Error {
  constructor(reason: string) {
    super(`cannot write this email: ${reason}`);
  }
}

export const inviteDeliveryId = (inviteId: string, sendNumber: number) => `invite:${inviteId}:${sendNumber}`;

/** Exponential backoff with jitter (half fixed, half random), capped at a minute. */
export function retryDelayMs(attempt: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * Sends each stored delivery at most once. Kafka handlers only enqueue (fast, idempotent by
 * key); this worker sends what is due, retries temporary failures with backoff, and records
 * the outcome with NotificationSent / NotificationFailed in the same write.
 */
@Injectable()
export class DeliverEmail implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliverEmail.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly mail: MailTransport,
    private readonly config: NotificationsConfig,
    private readonly templates: EmailTemplates,
    private readonly reminders: ReminderRepository,
  ) {}

  /** Records the request; a second delivery of the same event finds it and does nothing. */
  async enqueueInvite(event: EventEnvelope<Topic.InviteEmailRequested>): Promise<void> {
    await this.reminders.track({
      _id: event.data.inviteId,
      firmId: event.firmId,
      sendNumber: event.data.sendNumber,
      sentAt: new Date(event.occurredAt),
      request: event.data as unknown as Record<string, unknown>,
    });
    await this.enqueue(
      'invite',
      inviteDeliveryId(event.data.inviteId, event.data.sendNumber),
      event.firmId,
      event.data,
      event.correlationId,
    );
  }

  /** A reminder of a pending invite; its id makes a second enqueue of the same reminder a no-op. */
  async enqueueReminder(firmId: string, request: InviteEmailRequestedData, day: number): Promise<void> {
    await this.enqueue(
      'reminder',
      `reminder:${request.inviteId}:${request.sendNumber}:${day}`,
      firmId,
      request,
      randomUUID(),
    );
  }

  private async enqueue(
    kind: Delivery['kind'],
    id: string,
    firmId: string,
    data: InviteEmailRequestedData,
    correlationId: string,
  ): Promise<void> {
    const created = await this.deliveries.enqueue({
      _id: id,
      firmId,
      kind,
      inviteId: data.inviteId,
      contactId: data.contactId,
      to: data.to,
      status: 'queued',
      attempts: 0,
      lastError: null,
      nextAttemptAt: new Date(),
      sentAt: null,
      payload: data as unknown as Record<string, unknown>,
      correlationId,
    });
    if (created) this.poke();
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass soon, instead of at the next poll. */
  private poke(): void {
    if (!this.running) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.sendDue()
        .catch((error: unknown) => this.logger.warn({ err: String(error) }, 'delivery pass failed; will retry'))
        .finally(() => {
          this.running = undefined;
          this.schedule(500);
        });
    }, delayMs);
  }

  async sendDue(): Promise<void> {
    for (;;) {
      const due = await this.deliveries.due(new Date(), 50);
      if (due.length === 0 || this.stopped) return;
      // The pooled transport sends several at once; each delivery is claimed first.
      await Promise.all(due.map((d) => this.attempt(d)));
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    if (!(await this.deliveries.claim(delivery._id, delivery.attempts, new Date(Date.now() + LEASE_MS)))) return;
    await runWithCorrelationId(delivery.correlationId ?? randomUUID(), async () => {
      const attempt = delivery.attempts + 1;
      try {
        let mail: Awaited<ReturnType<DeliverEmail['compose']>>;
        try {
          mail = await this.compose(delivery);
        } catch (error) {
          // Retrying cannot fix an email that cannot be written (e.g. a link sealed with another key).
          throw new UnrenderableEmail(error instanceof Error ? error.message : String(error));
        }
        await this.mail.send(mail);
        await this.deliveries.finish(delivery._id, { status: 'sent', sentAt: new Date(), lastError: null }, [
          this.outcome(delivery, Topic.NotificationSent),
        ]);
        this.logger.log({ deliveryId: delivery._id, attempt }, 'email sent');
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const tooOld = Date.now() - new Date(delivery.createdAt).getTime() > GIVE_UP_AFTER_MS;
        if (error instanceof UnrenderableEmail || isPermanentSmtpFailure(error) || tooOld) {
          await this.deliveries.finish(delivery._id, { status: 'failed', lastError: reason }, [
            this.outcome(delivery, Topic.NotificationFailed, reason),
          ]);
          this.logger.warn({ deliveryId: delivery._id, attempt, reason }, 'email failed');
        } else {
          await this.deliveries.finish(
            delivery._id,
            { lastError: reason, nextAttemptAt: new Date(Date.now() + retryDelayMs(attempt)) },
            [],
          );
          this.logger.warn({ deliveryId: delivery._id, attempt, reason }, 'email attempt failed; will retry');
        }
      }
    });
  }

  private async compose(delivery: Delivery) {
    const data = delivery.payload as unknown as InviteEmailRequestedData;
    const link = unseal(keyFromBase64(this.config.INVITE_LINK_KEY), data.sealedLink);
    // A template deleted after the invite was sent falls back to the preset onboarding one.
    const template =
      delivery.kind === 'reminder'
        ? REMINDER_TEMPLATE
        : ((await this.templates.source(firmScope(delivery.firmId), data.templateId)) ?? DEFAULT_INVITE_TEMPLATE);
    const rendered = renderEmail(template, {
      firm: { name: data.firmName },
      contact: { firstName: data.contactFirstName, lastName: data.contactLastName },
      inviter: { name: data.inviterName },
      message: data.message,
      link,
      expiresAt: new Date(data.expiresAt).toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, ''),
    });
    // The header lets an inbox (and our tests) tie the email to its delivery record.
    return { to: delivery.to, ...rendered, headers: { 'X-Delivery-Id': delivery._id } };
  }

  private outcome(
    delivery: Delivery,
    topic: Topic.NotificationSent | Topic.NotificationFailed,
    reason?: string,
  ): OutboxEvent {
    return createEvent({
      topic,
      firmId: delivery.firmId,
      correlationId: delivery.correlationId ?? randomUUID(),
      key: delivery.contactId ?? delivery._id,
      data: {
        notificationId: delivery._id,
        inviteId: delivery.inviteId ?? undefined,
        to: delivery.to,
        ...(reason ? { reason } : {}),
      },
    });
  }
}
