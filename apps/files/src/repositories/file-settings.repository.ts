import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { appendEvents, outboxPlugin, settingsChanged, WithOutbox } from '@cp/messaging';
import { FirmScope } from '@cp/platform';
import { Model } from 'mongoose';

/** A firm's file settings; a firm that never set them uses the service defaults. */
@Schema({ collection: 'firm_settings', timestamps: true, versionKey: false })
export class FileSettings implements WithOutbox {
  @Prop({ type: String, required: true }) _id!: string; // the firm id
  @Prop({ required: true }) maxUploadBytes!: number;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const FileSettingsSchema = SchemaFactory.createForClass(FileSettings);
FileSettingsSchema.plugin(outboxPlugin);

/**
 * How long a firm's settings are reused before they are read again. Every upload needs them; a
 * change made through another replica takes effect within this time (at once through this one).
 */
const CACHE_MS = 30_000;

@Injectable()
export class FileSettingsRepository {
  private readonly cache = new Map<string, { value: FileSettings | null; until: number }>();

  constructor(@InjectModel(FileSettings.name) private readonly settings: Model<FileSettings>) {}

  async find(scope: FirmScope): Promise<FileSettings | null> {
    const cached = this.cache.get(scope.firmId);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = await this.settings.findById(scope.firmId, { pendingEvents: 0 }).lean<FileSettings>().exec();
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(scope.firmId, { value, until: Date.now() + CACHE_MS });
    return value;
  }

  async save(scope: FirmScope, maxUploadBytes: number): Promise<void> {
    const changed = settingsChanged(scope.firmId, 'files', { maxUploadBytes });
    await this.settings.updateOne(
      { _id: scope.firmId },
      appendEvents<FileSettings>({ $set: { maxUploadBytes } }, [changed]),
      { upsert: true },
    );
    this.cache.delete(scope.firmId);
  }
}
