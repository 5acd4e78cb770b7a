import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { isDuplicateKey } from '@cp/messaging';
import { FirmScope } from '@cp/platform';
import { Model } from 'mongoose';

/** A firm's invite settings; a firm that never set them uses the service defaults. */
@Schema({ collection: 'firm_settings', timestamps: true, versionKey: false })
export class FirmSettings {
  @Prop({ type: String, required: true }) _id!: string; // the firm id
  @Prop({ required: true }) inviteExpiryDays!: number;
}

export const FirmSettingsSchema = SchemaFactory.createForClass(FirmSettings);

@Injectable()
export class FirmSettingsRepository {
  constructor(@InjectModel(FirmSettings.name) private readonly settings: Model<FirmSettings>) {}

  async find(scope: FirmScope): Promise<FirmSettings | null> {
    return this.settings.findById(scope.firmId).lean<FirmSettings>().exec();
  }

  async save(scope: FirmScope, inviteExpiryDays: number): Promise<void> {
    const updated = await this.settings.updateOne({ _id: scope.firmId }, { $set: { inviteExpiryDays } });
    if (updated.matchedCount === 0) {
      try {
        await this.settings.create({ _id: scope.firmId, inviteExpiryDays });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        await this.settings.updateOne({ _id: scope.firmId }, { $set: { inviteExpiryDays } });
      }
    }
  }
}
