import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
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

  async end(inviteId: string, at: Date): Promise<void> {
    await this.reminders.updateOne({ _id: inviteId, endedAt: null }, { $set: { endedAt: at } });
  }

  /** Active schedules the sweep should look at now, the longest waiting first. */
  async candidates(now: Date, limit: number): Promise<InviteReminder[]> {
    return this.reminders
      .find({ endedAt: null, nextCheckAt: { $lte: now } })
      .sort({ nextCheckAt: 1 })
      .limit(limit)
      .lean<InviteReminder[]>()
      .exec();
  }

  /** Records the reminders that went out (or were skipped as superseded) and the next look. */
  async markReminded(inviteId: string, sendNumber: number, days: number[], nextCheckAt: Date): Promise<void> {
    await this.reminders.updateOne(
      { _id: inviteId, sendNumber },
      days.length > 0
        ? { $addToSet: { remindedDays: { $each: days } }, $set: { nextCheckAt } }
        : { $set: { nextCheckAt } },
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
