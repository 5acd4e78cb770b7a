import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { InviteReminder } from './reminder.schema';

@Injectable()
export class ReminderRepository {
  constructor(@InjectModel(InviteReminder.name) private readonly reminders: Model<InviteReminder>) {}

  /** A newer send restarts the schedule; an older or repeated one changes nothing. */
  async track(r: Pick<InviteReminder, '_id' | 'firmId' | 'sendNumber' | 'sentAt' | 'request'>): Promise<void> {
    await this.reminders.updateOne(
      { _id: r._id },
      { $setOnInsert: { ...r, remindedDays: [], endedAt: null } },
      { upsert: true },
    );
    await this.reminders.updateOne(
      { _id: r._id, sendNumber: { $lt: r.sendNumber } },
      { $set: { sendNumber: r.sendNumber, sentAt: r.sentAt, request: r.request, remindedDays: [], endedAt: null } },
    );
  }

  async end(inviteId: string, at: Date): Promise<void> {
    await this.reminders.updateOne({ _id: inviteId, endedAt: null }, { $set: { endedAt: at } });
  }

  /** Active schedules whose first unsent reminder may be due (sent at least `minDays` ago). */
  candidates(now: Date, minDays: number, limit: number): Promise<InviteReminder[]> {
    return this.reminders
      .find({ endedAt: null, sentAt: { $lte: new Date(now.getTime() - minDays * 86_400_000) } })
      .limit(limit)
      .lean<InviteReminder[]>()
      .exec();
  }

  async markReminded(inviteId: string, sendNumber: number, day: number): Promise<void> {
    await this.reminders.updateOne({ _id: inviteId, sendNumber }, { $addToSet: { remindedDays: day } });
  }
}
