import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { appendEvents, isDuplicateKey, outboxPlugin, settingsChanged, withEvents, WithOutbox } from '@cp/messaging';
import { FirmScope } from '@cp/platform';
import { Model } from 'mongoose';

/** A firm's invite settings; a firm that never set them uses the service defaults. */
@Schema({ collection: 'firm_settings', timestamps: true, versionKey: false })
export class FirmSettings implements WithOutbox {
  @Prop({ type: String, required: true }) _id!: string; // the firm id
  @Prop({ required: true }) inviteExpiryDays!: number;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const FirmSettingsSchema = SchemaFactory.createForClass(FirmSettings);
FirmSettingsSchema.plugin(outboxPlugin);

@Injectable()
export class FirmSettingsRepository {
  constructor(@InjectModel(FirmSettings.name) private readonly settings: Model<FirmSettings>) {}

  async find(scope: FirmScope): Promise<FirmSettings | null> {
    return this.settings.findById(scope.firmId, { pendingEvents: 0 }).lean<FirmSettings>().exec();
  }

  async save(scope: FirmScope, inviteExpiryDays: number): Promise<void> {
    const changed = [settingsChanged(scope.firmId, 'invites', { inviteExpiryDays })];
    const update = appendEvents<FirmSettings>({ $set: { inviteExpiryDays } }, changed);
    const updated = await this.settings.updateOne({ _id: scope.firmId }, update);
    if (updated.matchedCount === 0) {
      try {
        await this.settings.create(withEvents({ _id: scope.firmId, inviteExpiryDays }, changed));
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        await this.settings.updateOne({ _id: scope.firmId }, update);
      }
    }
  }
}
