import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { appendEvents, outboxPlugin, settingsChanged, WithOutbox } from '@cp/messaging';
import { FirmScope } from '@cp/platform';
import { Model } from 'mongoose';

/** A firm's reminder schedule; a firm that never set one uses the service default. */
@Schema({ collection: 'reminder_settings', timestamps: true, versionKey: false })
export class ReminderSettings implements WithOutbox {
  @Prop({ type: String, required: true }) _id!: string; // the firm id
  @Prop({ required: true }) enabled!: boolean;
  @Prop({ type: [Number], required: true }) days!: number[];
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const ReminderSettingsSchema = SchemaFactory.createForClass(ReminderSettings);
ReminderSettingsSchema.plugin(outboxPlugin);

const HIDDEN = { pendingEvents: 0 } as const;

@Injectable()
export class ReminderSettingsRepository {
  constructor(@InjectModel(ReminderSettings.name) private readonly settings: Model<ReminderSettings>) {}

  async find(scope: FirmScope): Promise<ReminderSettings | null> {
    return this.settings.findById(scope.firmId, HIDDEN).lean<ReminderSettings>().exec();
  }

  /** The saved schedules of these firms (one read per sweep, not one per invite). */
  async findMany(firmIds: string[]): Promise<ReminderSettings[]> {
    return this.settings
      .find({ _id: { $in: firmIds } }, HIDDEN)
      .lean<ReminderSettings[]>()
      .exec();
  }

  async save(scope: FirmScope, enabled: boolean, days: number[]): Promise<void> {
    await this.settings.updateOne(
      { _id: scope.firmId },
      appendEvents<ReminderSettings>({ $set: { enabled, days } }, [
        settingsChanged(scope.firmId, 'reminders', { enabled, days }),
      ]),
      { upsert: true },
    );
  }
}
