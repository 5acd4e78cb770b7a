import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { outboxPlugin, WithOutbox } from '@cp/messaging';
import { randomUUID } from 'node:crypto';

/** A firm's own email template (presets are in code). */
@Schema({ collection: 'email_templates', timestamps: true, versionKey: false })
export class EmailTemplate implements WithOutbox {
  @Prop({ type: String, default: () => randomUUID() }) _id!: string;
  @Prop({ required: true, index: true }) firmId!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) subject!: string;
  @Prop({ required: true }) body!: string;
  createdAt!: Date;
  updatedAt!: Date;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const EmailTemplateSchema = SchemaFactory.createForClass(EmailTemplate);
EmailTemplateSchema.plugin(outboxPlugin);
