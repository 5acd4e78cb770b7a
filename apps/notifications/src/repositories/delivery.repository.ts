import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { OutboxEvent } from '@cp/contracts';
import { appendEvents, isDuplicateKey, withEvents } from '@cp/messaging';
import { afterCursor, FirmScope, PAGE_ORDER, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { Delivery } from './delivery.schema';

/** The recipient of a staff notice whose inviter is not known yet; such a delivery waits. */
export const HELD = '';
/** When a held delivery would be due: never, until it is released. */
export const NEVER = new Date('9999-12-31T00:00:00Z');

@Injectable()
export class DeliveryRepository {
  constructor(@InjectModel(Delivery.name) private readonly deliveries: Model<Delivery>) {}

  /** Stores a new delivery; false when one with this idempotency key already exists. */
  async enqueue(
    delivery: Omit<
      Delivery,
      'createdAt' | 'updatedAt' | 'pendingEvents' | 'outboxPending' | 'sendingSince' | 'interruptedAttempts'
    >,
  ): Promise<boolean> {
    try {
      await this.deliveries.create(withEvents({ ...delivery, sendingSince: null, interruptedAttempts: 0 }, []));
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Gives held staff notices of this contact their recipient, now that the inviter is known. */
  async release(firmId: string, contactId: string, to: string, now: Date): Promise<number> {
    const result = await this.deliveries.updateMany(
      { firmId, contactId, status: 'queued', to: HELD },
      { $set: { to, nextAttemptAt: now } },
    );
    return result.modifiedCount;
  }

  /** The firm's delivery log, newest last, `limit + 1` after the cursor. */
  async page(
    scope: FirmScope,
    filter: { contactId?: string; inviteId?: string; status?: string },
    options: { cursor?: string; limit: number },
  ): Promise<Delivery[]> {
    const where = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    return this.deliveries
      .find(scoped<Delivery>(scope, { ...where, ...afterCursor(options.cursor) }), { pendingEvents: 0, payload: 0 })
      .sort(PAGE_ORDER)
      .limit(options.limit + 1)
      .lean<Delivery[]>()
      .exec();
  }

  async findById(id: string): Promise<Delivery | null> {
    return this.deliveries.findById(id).lean<Delivery>().exec();
  }

  /** Queued deliveries whose next attempt is due, oldest first. */
  async due(now: Date, limit: number): Promise<Delivery[]> {
    return this.deliveries
      .find({ status: 'queued', nextAttemptAt: { $lte: now } }, { pendingEvents: 0 })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean<Delivery[]>()
      .exec();
  }

  /**
   * Takes a delivery for one attempt by pushing its next attempt into the future; only one
   * worker (of any replica) gets it. The lease outlives one SMTP attempt.
   */
  async claim(delivery: Delivery, now: Date, leaseUntil: Date): Promise<boolean> {
    const interrupted = delivery.sendingSince ? 1 : 0;
    const result = await this.deliveries.updateOne(
      { _id: delivery._id, status: 'queued', attempts: delivery.attempts },
      {
        $set: { nextAttemptAt: leaseUntil, sendingSince: now },
        $inc: { attempts: 1, interruptedAttempts: interrupted },
      },
    );
    return result.modifiedCount === 1;
  }

  async finish(id: string, set: Partial<Delivery>, events: OutboxEvent[]): Promise<void> {
    await this.deliveries.updateOne(
      { _id: id },
      appendEvents<Delivery>({ $set: { ...set, sendingSince: null } }, events),
    );
  }
}
