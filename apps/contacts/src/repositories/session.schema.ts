import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One refresh token. Tokens of one sign-in form a family: each rotation marks the old token
 * used and issues the next; presenting a used token means it leaked, so the family is revoked.
 */
@Schema({ collection: 'staff_sessions', versionKey: false })
export class StaffSession {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true, index: true }) familyId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) firmId!: string;
  /** sha256 of the secret part; the token itself is never stored. */
  @Prop({ required: true }) secretHash!: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) usedAt!: Date | null;
  @Prop({ type: Date, default: null }) revokedAt!: Date | null;
}

export const StaffSessionSchema = SchemaFactory.createForClass(StaffSession);
