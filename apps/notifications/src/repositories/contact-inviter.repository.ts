import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { FirmBranding } from '@cp/contracts';
import { isDuplicateKey } from '@cp/messaging';
import { Model } from 'mongoose';

/**
 * Who invited a contact most recently, and what a staff notice about the contact needs to say.
 * Kept from the invite email commands; the latest send (by its time) wins, whatever the order.
 */
@Schema({ collection: 'contact_inviters', timestamps: true, versionKey: false })
export class ContactInviter {
  @Prop({ type: String, required: true }) _id!: string; // the contact id
  @Prop({ required: true }) firmId!: string;
  @Prop({ required: true }) inviterId!: string;
  @Prop({ required: true }) inviterEmail!: string;
  @Prop({ required: true }) inviterName!: string;
  @Prop({ required: true }) contactFirstName!: string;
  @Prop({ required: true }) contactLastName!: string;
  @Prop({ required: true }) firmName!: string;
  @Prop({ type: Object, default: null }) firmBranding!: FirmBranding | null;
  @Prop({ required: true }) invitedAt!: Date;
}

export const ContactInviterSchema = SchemaFactory.createForClass(ContactInviter);

@Injectable()
export class ContactInviterRepository {
  constructor(@InjectModel(ContactInviter.name) private readonly inviters: Model<ContactInviter>) {}

  /** Records the inviter unless a later invite of this contact is already recorded. True if it changed. */
  async record(inviter: ContactInviter): Promise<boolean> {
    const { _id, firmId, ...fields } = inviter;
    const newer = await this.inviters.updateOne(
      { _id, firmId, invitedAt: { $lt: inviter.invitedAt } },
      { $set: fields },
    );
    if (newer.matchedCount > 0) return true;
    try {
      await this.inviters.create(inviter);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false; // already recorded, as recent or more
      throw error;
    }
  }

  /**
   * `record` for many in one bulkWrite: each is an upsert that applies only over an older record;
   * over a newer one the upsert collides with the existing id, which is the "already as recent" case.
   */
  async recordMany(inviters: ContactInviter[]): Promise<void> {
    if (inviters.length === 0) return;
    try {
      await this.inviters.bulkWrite(
        inviters.map(({ _id, firmId, ...fields }) => ({
          updateOne: {
            filter: { _id, firmId, invitedAt: { $lt: fields.invitedAt } },
            update: { $set: fields },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code?: number } | { code?: number }[] }).writeErrors;
      const failures = writeErrors === undefined ? [] : ([] as { code?: number }[]).concat(writeErrors);
      if (!isDuplicateKey(error) && !(failures.length > 0 && failures.every((f) => f.code === 11000))) throw error;
    }
  }

  async find(firmId: string, contactId: string): Promise<ContactInviter | null> {
    return this.inviters.findOne({ _id: contactId, firmId }).lean<ContactInviter>().exec();
  }
}
