import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { FirmScope, scoped } from '@cp/platform';
import { Model } from 'mongoose';

/**
 * A staff member's authenticator (TOTP): the secret sealed with TWO_STEP_KEY, never stored or
 * logged in the clear; the last time step used (a code works once); the recovery codes' hashes.
 * `_id` is the staff user's id.
 */
@Schema({ collection: 'staff_second_steps', timestamps: true, versionKey: false })
export class StaffSecondStep {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  /** Set by enrolment, until the first code confirms it. */
  @Prop({ type: String, default: null }) pendingSealedSecret!: string | null;
  @Prop({ type: String, default: null }) sealedSecret!: string | null;
  @Prop({ type: Date, default: null }) enrolledAt!: Date | null;
  @Prop({ type: Number, default: null }) lastTimeStep!: number | null;
  @Prop({ type: [String], default: [] }) recoveryCodeHashes!: string[];
}

export const StaffSecondStepSchema = SchemaFactory.createForClass(StaffSecondStep);

@Injectable()
export class StaffSecondStepRepository {
  constructor(@InjectModel(StaffSecondStep.name) private readonly steps: Model<StaffSecondStep>) {}

  async find(scope: FirmScope, userId: string): Promise<StaffSecondStep | null> {
    return this.steps
      .findOne(scoped<StaffSecondStep>(scope, { _id: userId }))
      .lean<StaffSecondStep>()
      .exec();
  }

  /** A new secret to confirm; an enrolled authenticator stays in use until the new one is confirmed. */
  async setPending(scope: FirmScope, userId: string, pendingSealedSecret: string): Promise<void> {
    await this.steps
      .updateOne(
        scoped<StaffSecondStep>(scope, { _id: userId }),
        { $set: { pendingSealedSecret }, $setOnInsert: { firmId: scope.firmId } },
        { upsert: true },
      )
      .exec();
  }

  /** Confirms the pending secret it was given (not a newer one) and stores the recovery codes. */
  async confirm(
    scope: FirmScope,
    userId: string,
    pendingSealedSecret: string,
    timeStep: number,
    recoveryCodeHashes: string[],
    at: Date,
  ): Promise<boolean> {
    const done = await this.steps
      .updateOne(scoped<StaffSecondStep>(scope, { _id: userId, pendingSealedSecret }), {
        $set: {
          sealedSecret: pendingSealedSecret,
          pendingSealedSecret: null,
          enrolledAt: at,
          lastTimeStep: timeStep,
          recoveryCodeHashes,
        },
      })
      .exec();
    return done.modifiedCount === 1;
  }

  /** Records a used time step; false when that step (or a later one) was used already: a replay. */
  async useTimeStep(scope: FirmScope, userId: string, timeStep: number): Promise<boolean> {
    const done = await this.steps
      .updateOne(
        scoped<StaffSecondStep>(scope, {
          _id: userId,
          $or: [{ lastTimeStep: null }, { lastTimeStep: { $lt: timeStep } }],
        }),
        { $set: { lastTimeStep: timeStep } },
      )
      .exec();
    return done.modifiedCount === 1;
  }

  /** Spends one recovery code; false when it is not (or no longer) one of the account's. */
  async useRecoveryCode(scope: FirmScope, userId: string, codeHash: string): Promise<boolean> {
    const done = await this.steps
      .updateOne(scoped<StaffSecondStep>(scope, { _id: userId, recoveryCodeHashes: codeHash }), {
        $pull: { recoveryCodeHashes: codeHash },
      })
      .exec();
    return done.modifiedCount === 1;
  }

  async remove(scope: FirmScope, userId: string): Promise<boolean> {
    const done = await this.steps.deleteOne(scoped<StaffSecondStep>(scope, { _id: userId })).exec();
    return done.deletedCount === 1;
  }
}
