import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InviteEmailRequestedData } from '@cp/contracts';
import { NotificationsConfig } from '../config';
import { ReminderRepository } from '../repositories/reminder.repository';
import { Clock } from './clock';
import { DeliverEmail } from './deliver-email.use-case';

const DAY_MS = 86_400_000;

/**
 * Reminds contacts of invites still pending after the configured days (3 and 7 by default).
 * Ended invites (accepted, revoked, expired) are never reminded; each reminder has its own
 * idempotency key, so a crash or a second replica cannot send it twice.
 */
@Injectable()
export class SendReminders implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SendReminders.name);
  private readonly days: number[];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly reminders: ReminderRepository,
    private readonly deliver: DeliverEmail,
    private readonly clock: Clock,
    private readonly config: NotificationsConfig,
  ) {
    this.days = config.INVITE_REMINDER_DAYS.split(',')
      .filter(Boolean)
      .map(Number)
      .sort((a, b) => a - b);
  }

  onApplicationBootstrap(): void {
    if (this.days.length === 0) return;
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.logger.warn({ err: String(error) }, 'reminder sweep failed; will retry'),
      );
    }, this.config.REMINDER_SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    const now = this.clock.now();
    let sent = 0;
    for (const schedule of await this.reminders.candidates(now, this.days[0], 500)) {
      const due = this.days.filter(
        (d) =>
          !(schedule.remindedDays ?? []).includes(d) &&
          new Date(schedule.sentAt).getTime() + d * DAY_MS <= now.getTime(),
      );
      if (due.length === 0) continue;
      // Several due at once (the service was down): one reminder, not a burst.
      const day = due[due.length - 1];
      await this.deliver.enqueueReminder(schedule.firmId, schedule.request as unknown as InviteEmailRequestedData, day);
      for (const d of due) await this.reminders.markReminded(schedule._id, schedule.sendNumber, d);
      sent++;
    }
    return sent;
  }
}
