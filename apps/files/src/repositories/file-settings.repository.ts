import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { FirmScope } from '@cp/platform';
import { Model } from 'mongoose';

/** A firm's file settings; a firm that never set them uses the service defaults. */
@Schema({ collection: 'firm_settings', timestamps: true, versionKey: false })
export class FileSettings {
  @Prop({ type: String, required: true }) _id!: string; // the firm id
  @Prop({ required: true }) maxUploadBytes!: number;
}

export const FileSettingsSchema = SchemaFactory.createForClass(FileSettings);

@Injectable()
export class FileSettingsRepository {
  constructor(@InjectModel(FileSettings.name) private readonly settings: Model<FileSettings>) {}

  find(scope: FirmScope): Promise<FileSettings | null> {
    return this.settings.findById(scope.firmId).lean<FileSettings>().exec();
  }

  async save(scope: FirmScope, maxUploadBytes: number): Promise<void> {
    await this.settings.updateOne({ _id: scope.firmId }, { $set: { maxUploadBytes } }, { upsert: true });
  }
}
