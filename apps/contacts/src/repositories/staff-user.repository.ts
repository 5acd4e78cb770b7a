import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { createEvent, Topic } from '@cp/contracts';
import { eventContext, FirmScope, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { OutboxEvent } from '@cp/contracts';
import { appendEvents, EventLog, isDuplicateKey, withEvents } from '@cp/messaging';
import { randomUUID } from 'node:crypto';
import { StaffUser } from './staff-user.schema';

export class StaffEmailTakenError extends Error {}

@Injectable()
export class StaffUserRepository {
  constructor(
    @InjectModel(StaffUser.name) private readonly users: Model<StaffUser>,
    private readonly eventLog: EventLog,
  ) {}

  /** Stored with its StaffAdded (the audit trail's "staff added", and the name it shows). */
  async insert(
    scope: FirmScope,
    user: Pick<StaffUser, 'name' | 'email' | 'passwordHash' | 'role'>,
  ): Promise<StaffUser> {
    const _id = randomUUID();
    const added = createEvent({
      topic: Topic.StaffAdded,
      firmId: scope.firmId,
      ...eventContext(),
      key: _id,
      data: { userId: _id, name: user.name, email: user.email, role: user.role },
    });
    try {
      return (
        await this.users.create(withEvents({ ...user, _id, firmId: scope.firmId }, [added]))
      ).toObject<StaffUser>();
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

  /**
   * Removes the account (it can no longer sign in or refresh), recording StaffRemoved first: a
   * crash in between leaves an event for an account that is removed again on the next try.
   */
  async remove(scope: FirmScope, user: StaffUser): Promise<boolean> {
    await this.eventLog.record(
      createEvent({
        topic: Topic.StaffRemoved,
        firmId: scope.firmId,
        ...eventContext(),
        key: user._id,
        data: { userId: user._id, email: user.email },
      }),
    );
    const result = await this.users.deleteOne(scoped<StaffUser>(scope, { _id: user._id }));
    return result.deletedCount === 1;
  }

  async countOwners(scope: FirmScope): Promise<number> {
    return this.users.countDocuments(scoped<StaffUser>(scope, { role: 'owner' }));
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
