import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Reminder bookkeeping for one invite: when its latest link was sent, which reminders went out,
 * and whether it ended (accepted, revoked, expired), which stops further reminders.
 */
@Schema({ collection: 'invite_reminders', timestamps: true, versionKey: false })
export class InviteReminder {
  @Prop({ type: String, required: true }) _id!: string; // the invite id
  @Prop({ required: true }) firmId!: string;
  @Prop({ required: true }) sendNumber!: number;
  @Prop({ required: true }) sentAt!: Date;
  /** The email request of the latest send (its link stays sealed at rest). */
  @Prop({ type: Object, required: true }) request!: Record<string, unknown>;
  @Prop({ type: [Number], default: [] }) remindedDays!: number[];
  @Prop({ type: Date, default: null }) endedAt!: Date | null;
  /** When the sweep looks at this invite next: its next reminder date, or tomorrow if none is due. */
  @Prop({ type: Date, default: () => new Date(0) }) nextCheckAt!: Date;
  /** The sweep that claimed this schedule for its current look. */
  @Prop({ type: String, default: null }) claim!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
}

export const InviteReminderSchema = SchemaFactory.createForClass(InviteReminder);
InviteReminderSchema.index({ endedAt: 1, nextCheckAt: 1 });
