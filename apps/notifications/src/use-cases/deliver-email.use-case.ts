import { Injectable, Logger } from '@nestjs/common';
import { keyFromBase64, unseal } from '@cp/auth';
import {
  createEvent,
  EventEnvelope,
  InviteEmailRequestedData,
  NewLinkEmailRequestedData,
  OutboxEvent,
  PasswordResetEmailRequestedData,
  RenderedEmail,
  Topic,
  TwoStepCodeRequestedData,
} from '@cp/contracts';
import { currentTrace, firmScope, inSpan, PollingJob, runWithCorrelationId, SpanKind } from '@cp/platform';
import { traceOfEvent } from '@cp/messaging';
import { createHash, randomUUID } from 'node:crypto';
import { NotificationsConfig } from '../config';
import {
  ClaimedDelivery,
  DeliveryOutcomeWrite,
  DeliveryRepository,
  HELD,
  NEVER,
  QueuedDelivery,
} from '../repositories/delivery.repository';
import { Delivery, DeliveryKind } from '../repositories/delivery.schema';
import { ContactInviterRepository } from '../repositories/contact-inviter.repository';
import { isPermanentSmtpFailure, MailTransport, OutgoingMail } from '../repositories/mail-transport.repository';
import { renderEmail } from '../templates/email-template';
import {
  ACCEPTED_NOTICE_TEMPLATE,
  DEFAULT_INVITE_TEMPLATE,
  NEW_LINK_NOTICE_TEMPLATE,
  PASSWORD_RESET_TEMPLATE,
  REMINDER_TEMPLATE,
  TWO_STEP_CODE_TEMPLATE,
  UPLOAD_NOTICE_TEMPLATE,
} from '../templates/presets';
import { ReminderRepository } from '../repositories/reminder.repository';
import { EmailTemplates } from './email-templates.use-case';
import { emailSendDuration, emailsFailed, emailsRetried, emailsSent } from '../metrics';

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Temporary failures (SMTP down, 4xx) are retried for this long before the email is failed. */
const GIVE_UP_AFTER_MS = 24 * 3600 * 1000;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;
/** How long a claimed batch keeps other workers off its deliveries. */
const LEASE_MS = 30_000;
/**
 * The most one attempt can take (connection 5 s, then the SMTP socket timeout of 15 s): an attempt
 * starts only while this much of the lease is left, so no attempt outlives its claim.
 */
const ATTEMPT_BUDGET_MS = 20_000;

interface NewDelivery {
  kind: DeliveryKind;
  /** The idempotency key. */
  id: string;
  firmId: string;
  inviteId: string | null;
  contactId: string | null;
  to: string;
  payload: object;
  correlationId: string;
  nextAttemptAt?: Date;
  /** The trace to continue when sending; the current one when not given. */
  trace?: Record<string, string>;
}

export interface UploadNoticePayload {
  fileId: string;
  name: string;
  size: number;
}

/** 1536 → "1.5 KB". */
export function humanSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

class UnrenderableEmail extends Error {
  constructor(reason: string) {
    super(`cannot write this email: ${reason}`);
  }
}

/** Deliveries claimed at once, and until when the claim keeps other workers off them. */
interface ClaimedBatch {
  claimed: ClaimedDelivery[];
  leaseUntil: Date;
}

/** A claimed delivery given back without an attempt: as it was before the claim, due now. */
function untried({ delivery, interruptedSince }: ClaimedDelivery): DeliveryOutcomeWrite {
  return {
    id: delivery._id,
    set: { nextAttemptAt: new Date(), sendingSince: interruptedSince },
    inc: { attempts: -1, interruptedAttempts: interruptedSince ? -1 : 0 },
    events: [],
  };
}

/**
 * Outcomes waiting to be recorded, written by group commit: one bulkWrite at a time, each taking
 * everything that arrived while the previous one ran. A failed write is logged; its deliveries
 * stay claimed and are sent again (same Message-ID) once the lease ends.
 */
class OutcomeLog {
  private readonly waiting: DeliveryOutcomeWrite[] = [];
  private writing?: Promise<void>;

  constructor(
    private readonly write: (outcomes: DeliveryOutcomeWrite[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  add(outcome: DeliveryOutcomeWrite): void {
    this.waiting.push(outcome);
    this.writing ??= this.drain().finally(() => (this.writing = undefined));
  }

  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const outcomes = this.waiting.splice(0);
      try {
        await this.write(outcomes);
      } catch (error) {
        this.logger.warn({ err: String(error), outcomes: outcomes.length }, 'could not record email outcomes');
      }
    }
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
export class DeliverEmail extends PollingJob {
  protected readonly logger = new Logger(DeliverEmail.name);
  protected readonly pauseMs = 500;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly mail: MailTransport,
    private readonly config: NotificationsConfig,
    private readonly templates: EmailTemplates,
    private readonly reminders: ReminderRepository,
    private readonly inviters: ContactInviterRepository,
  ) {
    super();
  }

  /**
   * Records invite email commands, a batch in a few writes: their reminder schedules, their
   * deliveries (one insertMany; an event delivered again finds its record by idempotency key and
   * adds nothing), the latest inviter of each contact, and releases staff notices held for them.
   */
  async enqueueInvites(events: EventEnvelope<Topic.InviteEmailRequested>[]): Promise<void> {
    // Independent writes, side by side: a batch waits for one round trip, not three.
    const named = events.filter((e) => e.data.inviterId && e.data.inviterEmail);
    const [, created] = await Promise.all([
      this.reminders.trackMany(
        events.map((event) => ({
          _id: event.data.inviteId,
          firmId: event.firmId,
          sendNumber: event.data.sendNumber,
          sentAt: new Date(event.occurredAt),
          request: event.data as unknown as Record<string, unknown>,
        })),
      ),
      this.deliveries.enqueueMany(
        events.map((event) =>
          this.newDelivery({
            kind: 'invite',
            id: inviteDeliveryId(event.data.inviteId, event.data.sendNumber),
            firmId: event.firmId,
            inviteId: event.data.inviteId,
            contactId: event.data.contactId,
            to: event.data.to,
            payload: event.data,
            correlationId: event.correlationId,
            trace: traceOfEvent(event),
          }),
        ),
      ),
      // Commands written before staff notices existed do not name the inviter's email.
      named.length === 0
        ? Promise.resolve()
        : this.inviters.recordMany(
            named.map(({ data, firmId, occurredAt }) => ({
              _id: data.contactId,
              firmId,
              inviterId: data.inviterId as string,
              inviterEmail: data.inviterEmail as string,
              inviterName: data.inviterName,
              contactFirstName: data.contactFirstName,
              contactLastName: data.contactLastName,
              firmName: data.firmName,
              firmBranding: data.firmBranding ?? null,
              invitedAt: new Date(occurredAt),
            })),
          ),
    ]);
    if (created > 0) this.poke();
    if (named.length === 0) return;
    // Notices that arrived before the inviter was known (events across topics come in any order).
    let released = 0;
    for (const { firmId, contactId } of await this.deliveries.heldFor(named.map((e) => e.data.contactId))) {
      if (!contactId) continue;
      const inviter = await this.inviters.find(firmId, contactId);
      if (inviter) released += await this.deliveries.release(firmId, contactId, inviter.inviterEmail, new Date());
    }
    if (released > 0) this.poke();
  }

  /** A password-reset link; its link id is the idempotency key (a repeated command sends nothing). */
  async enqueuePasswordReset(event: EventEnvelope<Topic.PasswordResetEmailRequested>): Promise<void> {
    const { data } = event;
    await this.enqueue({
      kind: 'password-reset',
      id: `password-reset:${data.resetId}`,
      firmId: event.firmId,
      inviteId: null,
      contactId: null,
      to: data.to,
      payload: data,
      correlationId: event.correlationId,
    });
  }

  /** A portal sign-in code: one email per challenge, whatever the number of deliveries of the command. */
  async enqueueTwoStepCode(event: EventEnvelope<Topic.TwoStepCodeRequested>): Promise<void> {
    await this.enqueue({
      kind: 'two-step-code',
      id: `two-step:${event.data.challengeId}`,
      firmId: event.firmId,
      inviteId: null,
      contactId: event.data.contactId,
      to: event.data.to,
      payload: event.data,
      correlationId: event.correlationId,
    });
  }

  /** One email per staff recipient; keyed by invite, request time and address, so a repeat sends nothing. */
  async enqueueNewLinkNotice(event: EventEnvelope<Topic.NewLinkEmailRequested>): Promise<void> {
    const { data } = event;
    const created = await this.deliveries.enqueueMany(
      data.to.map((to) =>
        this.newDelivery({
          kind: 'new-link-notice',
          id: `new-link:${data.inviteId}:${data.requestedAt}:${to}`,
          firmId: event.firmId,
          // Not the invite's own email: its outcome must not show as the invite's delivery.
          inviteId: null,
          contactId: data.contactId,
          to,
          payload: data,
          correlationId: event.correlationId,
        }),
      ),
    );
    if (created > 0) this.poke();
  }

  /** A reminder of a pending invite; its id makes a second enqueue of the same reminder a no-op. */
  async enqueueReminder(firmId: string, request: InviteEmailRequestedData, day: number): Promise<void> {
    await this.enqueue({
      kind: 'reminder',
      id: `reminder:${request.inviteId}:${request.sendNumber}:${day}`,
      firmId,
      inviteId: request.inviteId,
      contactId: request.contactId,
      to: request.to,
      payload: request,
      correlationId: randomUUID(),
    });
  }

  /**
   * An email to the staff member who invited the contact. Until the inviter is known, the
   * notice is held (stored, never due) and released when the invite's email command arrives.
   */
  async enqueueNotice(
    notice: Pick<NewDelivery, 'kind' | 'id' | 'firmId' | 'inviteId' | 'contactId' | 'payload' | 'correlationId'> & {
      contactId: string;
    },
  ): Promise<void> {
    const inviter = await this.inviters.find(notice.firmId, notice.contactId);
    await this.enqueue({
      ...notice,
      to: inviter?.inviterEmail ?? HELD,
      nextAttemptAt: inviter ? new Date() : NEVER,
    });
  }

  private async enqueue(delivery: NewDelivery): Promise<void> {
    if (await this.deliveries.enqueue(this.newDelivery(delivery))) this.poke();
  }

  private newDelivery(delivery: NewDelivery): QueuedDelivery {
    return {
      _id: delivery.id,
      firmId: delivery.firmId,
      kind: delivery.kind,
      inviteId: delivery.inviteId,
      contactId: delivery.contactId,
      to: delivery.to,
      status: 'queued',
      attempts: 0,
      lastError: null,
      nextAttemptAt: delivery.nextAttemptAt ?? new Date(),
      sentAt: null,
      payload: delivery.payload as unknown as Record<string, unknown>,
      correlationId: delivery.correlationId,
      trace: delivery.trace ?? currentTrace() ?? null,
    };
  }

  protected async runPass(): Promise<boolean> {
    await this.sendDue();
    return false;
  }

  /**
   * Claims due deliveries a batch at a time and sends each batch through the pool. The next batch
   * is claimed while the last emails of the current one are in flight, and outcomes are recorded
   * as they come (see OutcomeLog), so the pool does not stand idle between batches.
   */
  async sendDue(): Promise<void> {
    const outcomes = new OutcomeLog(async (writes) => this.deliveries.finishMany(writes), this.logger);
    let claiming: Promise<ClaimedBatch> | undefined = this.claimBatch();
    const claimAhead = () => {
      if (claiming) return;
      claiming = this.claimBatch();
      // Awaited once this batch is sent; a failure meanwhile is not an unhandled rejection.
      claiming.catch(() => undefined);
    };
    try {
      while (claiming) {
        const batch: ClaimedBatch = await claiming;
        claiming = undefined;
        if (batch.claimed.length === 0) break;
        if (this.stopping) {
          // Claimed ahead just before SIGTERM: given back untried, due at once for whoever runs next.
          for (const item of batch.claimed) outcomes.add(untried(item));
          break;
        }
        await this.sendBatch(batch, outcomes, claimAhead);
        if (!this.stopping) claimAhead();
      }
    } finally {
      await outcomes.settled();
    }
  }

  private async claimBatch(): Promise<ClaimedBatch> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    return { claimed: await this.deliveries.claimDue(now, this.config.DELIVERY_BATCH_SIZE, leaseUntil), leaseUntil };
  }

  /**
   * Sends a claimed batch with as many emails in flight as the pool has connections; `nearlyDone`
   * is called once the last ones are out. Outcomes are written by group commit: each bulkWrite
   * records every outcome that arrived while the previous one was in flight, so an email the
   * server took waits at most about one write for its record (the window of the delivery
   * guarantee), and the database sees a write per few emails.
   */
  private async sendBatch(
    { claimed, leaseUntil }: ClaimedBatch,
    outcomes: OutcomeLog,
    nearlyDone: () => void,
  ): Promise<void> {
    let next = 0;
    const sender = async () => {
      while (next < claimed.length) {
        const item = claimed[next++];
        if (next === claimed.length) nearlyDone();
        // Not enough of the lease left for one more attempt (a hung SMTP server), or shutting down
        // (the rest of a batch of 200 can take longer than the grace period): hand it back untried.
        if (this.stopping || Date.now() > leaseUntil.getTime() - ATTEMPT_BUDGET_MS) outcomes.add(untried(item));
        else outcomes.add(await this.attempt(item));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.config.MAIL_POOL_SIZE, claimed.length) }, sender));
  }

  /** One attempt of one claimed delivery; answers the outcome to record. */
  private async attempt(claimed: ClaimedDelivery): Promise<DeliveryOutcomeWrite> {
    const { delivery } = claimed;
    // The span continues the trace of the request that asked for this email (when tracing is on).
    return inSpan('email send', SpanKind.CLIENT, delivery.trace, { 'email.kind': delivery.kind }, async () =>
      runWithCorrelationId(delivery.correlationId ?? randomUUID(), async () => this.attemptOnce(claimed)),
    );
  }

  private async attemptOnce({ delivery, interruptedSince }: ClaimedDelivery): Promise<DeliveryOutcomeWrite> {
    const attempt = delivery.attempts;
    if (interruptedSince) {
      // The process died during an earlier attempt; the server may have the email already.
      this.logger.warn(
        { deliveryId: delivery._id, attempt },
        'resending after an interrupted attempt, with the same Message-ID',
      );
    }
    const kind = { kind: delivery.kind };
    const endTimer = emailSendDuration.startTimer();
    try {
      let mail: OutgoingMail;
      try {
        mail = await this.compose(delivery);
      } catch (error) {
        // Retrying cannot fix an email that cannot be written (e.g. a link sealed with another key).
        throw new UnrenderableEmail(error instanceof Error ? error.message : String(error));
      }
      await this.mail.send(mail);
      endTimer();
      emailsSent.inc(kind);
      if (this.config.TEST_PAUSE_AFTER_SMTP_MS > 0) await sleep(this.config.TEST_PAUSE_AFTER_SMTP_MS);
      this.logger.log({ deliveryId: delivery._id, attempt }, 'email sent');
      return {
        id: delivery._id,
        set: { status: 'sent', sentAt: new Date(), lastError: null },
        events: [this.outcome(delivery, Topic.NotificationSent)],
      };
    } catch (error) {
      endTimer();
      const reason = error instanceof Error ? error.message : String(error);
      const tooOld = Date.now() - new Date(delivery.createdAt).getTime() > GIVE_UP_AFTER_MS;
      if (error instanceof UnrenderableEmail || isPermanentSmtpFailure(error) || tooOld) {
        emailsFailed.inc(kind);
        this.logger.warn({ deliveryId: delivery._id, attempt, reason }, 'email failed');
        return {
          id: delivery._id,
          set: { status: 'failed', lastError: reason },
          events: [this.outcome(delivery, Topic.NotificationFailed, reason)],
        };
      }
      emailsRetried.inc(kind);
      this.logger.warn({ deliveryId: delivery._id, attempt, reason }, 'email attempt failed; will retry');
      return {
        id: delivery._id,
        set: { lastError: reason, nextAttemptAt: new Date(Date.now() + retryDelayMs(attempt)) },
        events: [],
      };
    }
  }

  private async compose(delivery: Delivery): Promise<OutgoingMail> {
    const { subject, html, text } = await this.render(delivery);
    return {
      to: delivery.to,
      subject,
      html,
      text,
      messageId: this.messageIdOf(delivery._id),
      // The header lets an inbox (and our tests) tie the email to its delivery record.
      headers: { 'X-Delivery-Id': delivery._id },
    };
  }

  /** Derived from the idempotency key: every attempt of one delivery has the same Message-ID. */
  private messageIdOf(deliveryId: string): string {
    const hash = createHash('sha256').update(deliveryId).digest('hex').slice(0, 40);
    return `<${hash}@${this.config.MAIL_FROM.split('@')[1]}>`;
  }

  private async render(delivery: Delivery): Promise<RenderedEmail> {
    if (delivery.kind === 'password-reset') return this.renderPasswordReset(delivery);
    if (delivery.kind === 'new-link-notice') return this.renderNewLinkNotice(delivery);
    if (delivery.kind === 'accepted-notice' || delivery.kind === 'upload-notice') {
      const inviter = await this.inviters.find(delivery.firmId, delivery.contactId ?? '');
      if (!inviter) throw new Error('the inviter of this contact is unknown');
      const file = (delivery.payload ?? {}) as Partial<UploadNoticePayload>;
      return renderEmail(delivery.kind === 'accepted-notice' ? ACCEPTED_NOTICE_TEMPLATE : UPLOAD_NOTICE_TEMPLATE, {
        firm: { name: inviter.firmName, ...inviter.firmBranding },
        contact: { firstName: inviter.contactFirstName, lastName: inviter.contactLastName },
        inviter: { name: inviter.inviterName },
        message: null,
        link: null,
        expiresAt: null,
        file: file.name ? { name: file.name, size: humanSize(file.size ?? 0) } : undefined,
      });
    }
    if (delivery.kind === 'two-step-code') {
      const request = delivery.payload as unknown as TwoStepCodeRequestedData;
      return renderEmail(TWO_STEP_CODE_TEMPLATE, {
        firm: { name: request.firmName },
        contact: { firstName: '', lastName: '' },
        inviter: { name: '' },
        message: null,
        link: null,
        expiresAt: null,
        code: unseal(keyFromBase64(this.config.INVITE_LINK_KEY), request.sealedCode),
      });
    }
    const data = delivery.payload as unknown as InviteEmailRequestedData;
    const link = unseal(keyFromBase64(this.config.INVITE_LINK_KEY), data.sealedLink);
    // A template deleted after the invite was sent falls back to the preset onboarding one.
    const template =
      delivery.kind === 'reminder'
        ? REMINDER_TEMPLATE
        : ((await this.templates.source(firmScope(delivery.firmId), data.templateId)) ?? DEFAULT_INVITE_TEMPLATE);
    return renderEmail(template, {
      firm: { name: data.firmName, ...data.firmBranding },
      contact: { firstName: data.contactFirstName, lastName: data.contactLastName },
      inviter: { name: data.inviterName },
      message: data.message,
      link,
      expiresAt: new Date(data.expiresAt).toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, ''),
    });
  }

  private renderPasswordReset(delivery: Delivery): RenderedEmail {
    const data = delivery.payload as unknown as PasswordResetEmailRequestedData;
    return renderEmail(PASSWORD_RESET_TEMPLATE, {
      firm: { name: data.firmName, ...data.firmBranding },
      contact: { firstName: data.name, lastName: '' },
      inviter: { name: '' },
      message: null,
      link: unseal(keyFromBase64(this.config.INVITE_LINK_KEY), data.sealedLink),
      expiresAt: new Date(data.expiresAt).toUTCString().replace('GMT', 'UTC'),
      linkLabel: 'Reset password',
      expiryLead: 'This link stops working at',
    });
  }

  private renderNewLinkNotice(delivery: Delivery): RenderedEmail {
    const data = delivery.payload as unknown as NewLinkEmailRequestedData;
    return renderEmail(NEW_LINK_NOTICE_TEMPLATE, {
      firm: { name: data.firmName },
      contact: { firstName: data.contactFirstName, lastName: data.contactLastName },
      inviter: { name: '' },
      message: null,
      link: data.contactUrl,
      expiresAt: null,
      linkLabel: 'Open the contact',
    });
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
