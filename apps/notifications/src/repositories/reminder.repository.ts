import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { InviteReminder } from './reminder.schema';

const EPOCH = new Date(0);
/** No schedule reminds before a day has passed (days are 1-60), so a new send is not looked at sooner. */
const firstLook = (sentAt: Date) => new Date(sentAt.getTime() + 86_400_000);

@Injectable()
export class ReminderRepository {
  constructor(@InjectModel(InviteReminder.name) private readonly reminders: Model<InviteReminder>) {}

  /** A newer send restarts the schedule; an older or repeated one changes nothing. */
  async track(r: Pick<InviteReminder, '_id' | 'firmId' | 'sendNumber' | 'sentAt' | 'request'>): Promise<void> {
    await this.reminders.updateOne(
      { _id: r._id },
      { $setOnInsert: { ...r, remindedDays: [], endedAt: null, nextCheckAt: firstLook(r.sentAt) } },
      { upsert: true },
    );
    await this.reminders.updateOne(
      { _id: r._id, sendNumber: { $lt: r.sendNumber } },
      {
        $set: {
          sendNumber: r.sendNumber,
          sentAt: r.sentAt,
          request: r.request,
          remindedDays: [],
          endedAt: null,
          nextCheckAt: firstLook(r.sentAt),
        },
      },
    );
  }

  /** `track` for many sends in one ordered bulkWrite (each send's two steps in turn). */
  async trackMany(
    sends: Pick<InviteReminder, '_id' | 'firmId' | 'sendNumber' | 'sentAt' | 'request'>[],
  ): Promise<void> {
    if (sends.length === 0) return;
    await this.reminders.bulkWrite(
      sends.flatMap((r) => [
        {
          updateOne: {
            filter: { _id: r._id },
            update: { $setOnInsert: { ...r, remindedDays: [], endedAt: null, nextCheckAt: firstLook(r.sentAt) } },
            upsert: true,
          },
        },
        {
          updateOne: {
            filter: { _id: r._id, sendNumber: { $lt: r.sendNumber } },
            update: {
              $set: {
                sendNumber: r.sendNumber,
                sentAt: r.sentAt,
                request: r.request,
                remindedDays: [],
                endedAt: null,
                nextCheckAt: firstLook(r.sentAt),
              },
            },
          },
        },
      ]),
      { ordered: true },
    );
  }

  async end(inviteId: string, at: Date): Promise<void> {
    await this.reminders.updateOne({ _id: inviteId, endedAt: null }, { $set: { endedAt: at } });
  }

  /**
   * Claims the active schedules due for a look, the longest waiting first (index endedAt,
   * nextCheckAt): one read, one conditional updateMany that moves their next look to the lease's
   * end, so another replica's sweep passes them by; only what this call claimed is returned.
   */
  async claimCandidates(now: Date, limit: number, leaseUntil: Date): Promise<InviteReminder[]> {
    const due = await this.reminders
      .find({ endedAt: null, nextCheckAt: { $lte: now } }, { _id: 1 })
      .sort({ nextCheckAt: 1 })
      .limit(limit)
      .lean<Pick<InviteReminder, '_id'>[]>()
      .exec();
    if (due.length === 0) return [];
    const ids = due.map((d) => d._id);
    const claim = randomUUID();
    await this.reminders.updateMany(
      { _id: { $in: ids }, endedAt: null, nextCheckAt: { $lte: now } },
      { $set: { nextCheckAt: leaseUntil, claim } },
    );
    return this.reminders
      .find({ _id: { $in: ids }, claim })
      .lean<InviteReminder[]>()
      .exec();
  }

  /** Records, in one bulkWrite, the reminders that went out (or were skipped) and each next look. */
  async markRemindedMany(marks: { inviteId: string; sendNumber: number; days: number[]; nextCheckAt: Date }[]) {
    if (marks.length === 0) return;
    await this.reminders.bulkWrite(
      marks.map(({ inviteId, sendNumber, days, nextCheckAt }) => ({
        updateOne: {
          filter: { _id: inviteId, sendNumber },
          update:
            days.length > 0
              ? { $addToSet: { remindedDays: { $each: days } }, $set: { nextCheckAt } }
              : { $set: { nextCheckAt } },
        },
      })),
      { ordered: false },
    );
  }

  /** Looks at none of this firm's pending invites before `until` (its reminders are off). */
  async postponeFirm(firmId: string, now: Date, until: Date): Promise<void> {
    await this.reminders.updateMany(
      { firmId, endedAt: null, nextCheckAt: { $lte: now } },
      { $set: { nextCheckAt: until } },
    );
  }

  /** A firm changed its schedule: look at its pending invites again at the next sweep. */
  async recheckFirm(firmId: string): Promise<void> {
    await this.reminders.updateMany({ firmId, endedAt: null }, { $set: { nextCheckAt: EPOCH } });
  }
}
