import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { OutboxEvent } from '@cp/contracts';
import { appendEvents, DocumentLocks, withEvents } from '@cp/messaging';
import { afterCursor, FirmScope, PAGE_ORDER, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { Delivery } from './delivery.schema';

@Injectable()
export class DeliveryRepository {
  constructor(
    @InjectModel(Delivery.name) private readonly deliveries: Model<Delivery>,
    private readonly locks: DocumentLocks,
  ) {}

  /** Stores a new delivery; false when one with this idempotency key already exists. */
  async enqueue(
    delivery: Omit<Delivery, 'createdAt' | 'updatedAt' | 'pendingEvents' | 'outboxPending'>,
  ): Promise<boolean> {
    try {
      await this.deliveries.create(withEvents(delivery, []));
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  /** The firm's delivery log, newest last, `limit + 1` after the cursor. */
  page(
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

  findById(id: string): Promise<Delivery | null> {
    return this.deliveries.findById(id).lean<Delivery>().exec();
  }

  /** Queued deliveries whose next attempt is due, oldest first. */
  due(now: Date, limit: number): Promise<Delivery[]> {
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
  async claim(id: string, attempts: number, leaseUntil: Date): Promise<boolean> {
    const result = await this.locks.run(id, () =>
      this.deliveries.updateOne(
        { _id: id, status: 'queued', attempts },
        { $set: { nextAttemptAt: leaseUntil }, $inc: { attempts: 1 } },
      ),
    );
    return result.modifiedCount === 1;
  }

  async finish(id: string, set: Partial<Delivery>, events: OutboxEvent[]): Promise<void> {
    await this.locks.run(id, () =>
      this.deliveries.updateOne({ _id: id }, appendEvents<Delivery>({ $set: set }, events)),
    );
  }
}
