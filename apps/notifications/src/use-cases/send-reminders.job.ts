import { Injectable, Logger } from '@nestjs/common';
import { PollingJob } from '@cp/platform';
import { InviteEmailRequestedData } from '@cp/contracts';
import { NotificationsConfig } from '../config';
import { ReminderRepository } from '../repositories/reminder.repository';
import { Clock } from './clock';
import { DeliverEmail } from './deliver-email.use-case';
import { ReminderSchedule } from './reminder-schedule.use-case';

const DAY_MS = 86_400_000;
/** A sweep that died mid-way leaves its claimed invites to the next sweep after this long. */
const CLAIM_MS = 5 * 60_000;

/**
 * Reminds contacts of invites still pending after the days their firm chose (3 and 7 by
 * default). Ended invites (accepted, revoked, expired) are never reminded; each reminder has its
 * own idempotency key, so a crash or a second replica cannot send it twice.
 */
@Injectable()
export class SendReminders extends PollingJob {
  protected readonly logger = new Logger(SendReminders.name);

  constructor(
    private readonly reminders: ReminderRepository,
    private readonly schedules: ReminderSchedule,
    private readonly deliver: DeliverEmail,
    private readonly clock: Clock,
    private readonly config: NotificationsConfig,
  ) {
    super();
  }

  protected get pauseMs(): number {
    return this.config.REMINDER_SWEEP_MS;
  }

  protected async runPass(): Promise<boolean> {
    this.countItems('queued', await this.sweep());
    return false;
  }

  async sweep(): Promise<number> {
    const now = this.clock.now();
    const candidates = await this.reminders.claimCandidates(now, 500, new Date(now.getTime() + CLAIM_MS));
    const schedules = await this.schedules.of(candidates.map((c) => c.firmId));
    // A firm that turns reminders on again, or adds a later day, is seen within a day.
    const tomorrow = new Date(now.getTime() + DAY_MS);
    let sent = 0;
    // Firms with reminders off: one write per firm, not one per pending invite.
    const off = [...schedules].filter(([, s]) => !s.enabled).map(([firmId]) => firmId);
    for (const firmId of off) await this.reminders.postponeFirm(firmId, now, tomorrow);
    const marks: { inviteId: string; sendNumber: number; days: number[]; nextCheckAt: Date }[] = [];
    for (const invite of candidates) {
      if (this.stopping) {
        // Shutting down: the rest go back to the next sweep (any replica's) instead of waiting out the claim.
        marks.push({ inviteId: invite._id, sendNumber: invite.sendNumber, days: [], nextCheckAt: now });
        continue;
      }
      const request = invite.request as unknown as InviteEmailRequestedData;
      const schedule = schedules.get(invite.firmId);
      if (!schedule?.enabled) {
        marks.push({ inviteId: invite._id, sendNumber: invite.sendNumber, days: [], nextCheckAt: tomorrow });
        continue;
      }
      const sentAt = new Date(invite.sentAt).getTime();
      const open = schedule.days.filter((d) => !(invite.remindedDays ?? []).includes(d));
      const due = open.filter((d) => sentAt + d * DAY_MS <= now.getTime());
      const later = open.filter((d) => !due.includes(d));
      const nextCheckAt = later.length > 0 ? new Date(sentAt + later[0] * DAY_MS) : tomorrow;
      // An invite whose link has run out gets no reminder, even before InviteExpired arrives.
      const expired = new Date(request.expiresAt).getTime() <= now.getTime();
      if (due.length > 0 && !expired) {
        // Several due at once (the service was down): one reminder, not a burst.
        await this.deliver.enqueueReminder(invite.firmId, request, due[due.length - 1]);
        sent++;
      }
      marks.push({ inviteId: invite._id, sendNumber: invite.sendNumber, days: expired ? [] : due, nextCheckAt });
    }
    await this.reminders.markRemindedMany(marks);
    return sent;
  }
}
