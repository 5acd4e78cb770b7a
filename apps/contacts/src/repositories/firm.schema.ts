import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { outboxPlugin, WithOutbox } from '@cp/messaging';
import type { SecuritySettings } from '@cp/contracts';
import { randomUUID } from 'node:crypto';

/** A firm is the tenant: everything else belongs to exactly one firm. */
@Schema({ collection: 'firms', timestamps: true, versionKey: false })
export class Firm implements WithOutbox {
  @Prop({ type: String, default: () => randomUUID() }) _id!: string;
  @Prop({ required: true }) name!: string;
  /** Unique, URL-safe; contacts name their firm by it when signing in to the portal. */
  @Prop({ required: true, unique: true }) slug!: string;
  /** Branding of the firm's emails and portal pages (validated at the edge: https URL, #rrggbb). */
  @Prop({ type: String, default: null }) logoUrl!: string | null;
  @Prop({ type: String, default: null }) brandColor!: string | null;
  /** Two-step sign-in policy; absent for a firm created before it existed (LEGACY_FIRM_SECURITY applies). */
  @Prop({ type: Object, default: undefined }) security?: SecuritySettings;
  createdAt!: Date;
  updatedAt!: Date;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const FirmSchema = SchemaFactory.createForClass(Firm);
FirmSchema.plugin(outboxPlugin);
