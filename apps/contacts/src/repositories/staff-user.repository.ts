import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FirmScope, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { OutboxEvent } from '@cp/contracts';
import { appendEvents, isDuplicateKey } from '@cp/messaging';
import { StaffUser } from './staff-user.schema';

export class StaffEmailTakenError extends Error {}

@Injectable()
export class StaffUserRepository {
  constructor(@InjectModel(StaffUser.name) private readonly users: Model<StaffUser>) {}

  async insert(
    scope: FirmScope,
    user: Pick<StaffUser, 'name' | 'email' | 'passwordHash' | 'role'>,
  ): Promise<StaffUser> {
    try {
      return (await this.users.create({ ...user, firmId: scope.firmId })).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new StaffEmailTakenError();
      throw error;
    }
  }

  async findById(scope: FirmScope, id: string): Promise<StaffUser | null> {
    return this.users
      .findOne(scoped<StaffUser>(scope, { _id: id }))
      .lean<StaffUser>()
      .exec();
  }

  async list(scope: FirmScope): Promise<StaffUser[]> {
    return this.users
      .find(scoped<StaffUser>(scope))
      .sort({ createdAt: 1, _id: 1 })
      .limit(1000)
      .lean<StaffUser[]>()
      .exec();
  }

  /** Sign-in happens before the firm is known: the email alone finds the account. */
  async findForSignIn(email: string): Promise<StaffUser | null> {
    return this.users.findOne({ email }).lean<StaffUser>().exec();
  }

  /** The firm's owners: told when the staff member a notice was for is gone. */
  async owners(scope: FirmScope): Promise<StaffUser[]> {
    return this.users
      .find(scoped<StaffUser>(scope, { role: 'owner' }))
      .limit(20)
      .lean<StaffUser[]>()
      .exec();
  }

  /** The new hash and its PasswordChanged, in one write. */
  async setPassword(scope: FirmScope, id: string, passwordHash: string, events: OutboxEvent[]): Promise<boolean> {
    const result = await this.users.updateOne(
      scoped<StaffUser>(scope, { _id: id }),
      appendEvents<StaffUser>({ $set: { passwordHash } }, events),
    );
    return result.matchedCount === 1;
  }

  /** Sessions carry the user id from a token the service itself issued. */
  async findForSession(userId: string): Promise<StaffUser | null> {
    return this.users.findById(userId).lean<StaffUser>().exec();
  }
}
