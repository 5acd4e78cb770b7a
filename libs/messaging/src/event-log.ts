import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { createEvent, OutboxEvent, SettingsSection, Topic } from '@cp/contracts';
import { eventContext } from '@cp/platform';
import { Model } from 'mongoose';
import { outboxPlugin, withEvents, WithOutbox } from './outbox';

/**
 * An outbox for facts that change no document of their own (a download) or whose document is
 * gone (a deletion): each is stored as a small record of its own, so it rides the same relay,
 * at least once, as every other event. Records are kept a while after publishing, then expire.
 */
@Schema({ collection: 'event_log', timestamps: { createdAt: true, updatedAt: false }, versionKey: false })
export class EventLogRecord implements WithOutbox {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  createdAt!: Date;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const EventLogRecordSchema = SchemaFactory.createForClass(EventLogRecord);
EventLogRecordSchema.plugin(outboxPlugin);
EventLogRecordSchema.index({ createdAt: 1 }, { expireAfterSeconds: 30 * 86_400 });

@Injectable()
export class EventLog {
  constructor(@InjectModel(EventLogRecord.name) private readonly records: Model<EventLogRecord>) {}

  /** Stores the event for the relay; the event id is the record's id, so a retry stores it once. */
  async record(event: OutboxEvent): Promise<void> {
    await this.records.create(withEvents({ _id: event.envelope.id, firmId: event.envelope.firmId }, [event]));
  }
}

/** A firm changed a section of its settings: recorded by the service that owns the section. */
export function settingsChanged(
  firmId: string,
  section: SettingsSection,
  values: Record<string, unknown>,
): OutboxEvent<Topic.SettingsChanged> {
  return createEvent({
    topic: Topic.SettingsChanged,
    firmId,
    ...eventContext(),
    key: firmId,
    data: { section, values },
  });
}
