import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { OutboxEvent } from '@cp/contracts';
import { appendEvents, isDuplicateKey, withEvents } from '@cp/messaging';
import { afterCursor, FirmScope, PAGE_ORDER, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { Delivery } from './delivery.schema';

/** The recipient of a staff notice whose inviter is not known yet; such a delivery waits. */
export const HELD = '';
/** When a held delivery would be due: never, until it is released. */
export const NEVER = new Date('9999-12-31T00:00:00Z');

@Injectable()
export class DeliveryRepository {
  constructor(@InjectModel(Delivery.name) private readonly deliveries: Model<Delivery>) {}

  /** Stores a new delivery; false when one with this idempotency key already exists. */
  async enqueue(delivery: QueuedDelivery): Promise<boolean> {
    return (await this.enqueueMany([delivery])) === 1;
  }

  /** Stores new deliveries in one unordered insertMany; those whose key exists are left as they are. */
  async enqueueMany(deliveries: QueuedDelivery[]): Promise<number> {
    const docs = deliveries.map((d) =>
      withEvents({ ...d, sendingSince: null, interruptedAttempts: 0, claim: null }, []),
    );
    try {
      return (await this.deliveries.insertMany(docs, { ordered: false })).length;
    } catch (error) {
      const inserted = (error as { insertedDocs?: unknown[] }).insertedDocs;
      const writeErrors = (error as { writeErrors?: { code?: number } | { code?: number }[] }).writeErrors;
      const failures = writeErrors === undefined ? [] : ([] as { code?: number }[]).concat(writeErrors);
      if (isDuplicateKey(error) && failures.length === 0) return 0;
      if (failures.length === 0 || !failures.every((f) => f.code === 11000)) throw error;
      return Array.isArray(inserted) ? inserted.length : deliveries.length - failures.length;
    }
  }

  /** Staff notices of these contacts still waiting to learn their recipient (usually none). */
  async heldFor(contactIds: string[]): Promise<Pick<Delivery, 'firmId' | 'contactId'>[]> {
    return this.deliveries
      .find({ contactId: { $in: contactIds }, status: 'queued', to: HELD }, { firmId: 1, contactId: 1 })
      .lean<Pick<Delivery, 'firmId' | 'contactId'>[]>()
      .exec();
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

  /**
   * Claims up to `limit` due deliveries (oldest first) for one attempt each: the read uses the
   * index `status, nextAttemptAt`, the claim is two conditional updateMany (one for deliveries an
   * interrupted attempt left marked, which count it), and only what this call claimed is returned.
   * Pushing the next attempt to the lease's end is what keeps every other worker (of any replica)
   * off a claimed delivery.
   */
  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    const due = await this.deliveries
      .find({ status: 'queued', nextAttemptAt: { $lte: now } }, { _id: 1, sendingSince: 1 })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean<Pick<Delivery, '_id' | 'sendingSince'>[]>()
      .exec();
    if (due.length === 0) return [];
    const claim = randomUUID();
    const ids = due.map((d) => d._id);
    const stillDue = { _id: { $in: ids }, status: 'queued' as const, nextAttemptAt: { $lte: now } };
    const set = { $set: { nextAttemptAt: leaseUntil, sendingSince: now, claim } };
    await Promise.all([
      this.deliveries.updateMany(
        { ...stillDue, sendingSince: { $ne: null } },
        { ...set, $inc: { attempts: 1, interruptedAttempts: 1 } },
      ),
      this.deliveries.updateMany({ ...stillDue, sendingSince: null }, { ...set, $inc: { attempts: 1 } }),
    ]);
    const interrupted = new Map(due.map((d) => [d._id, d.sendingSince ?? null]));
    const claimed = await this.deliveries
      .find({ _id: { $in: ids }, claim }, { pendingEvents: 0 })
      .lean<Delivery[]>()
      .exec();
    return claimed.map((delivery) => ({ delivery, interruptedSince: interrupted.get(delivery._id) ?? null }));
  }

  /** Emails not yet sent or failed (held notices excluded), and when the oldest was stored. */
  async queueBacklog(): Promise<{ depth: number; oldestCreatedAt: Date | null }> {
    const queued = { status: 'queued' as const, nextAttemptAt: { $lt: NEVER } };
    const [depth, oldest] = await Promise.all([
      this.deliveries.countDocuments(queued).exec(),
      this.deliveries
        .findOne(queued, { createdAt: 1 })
        .sort({ createdAt: 1 })
        .lean<Pick<Delivery, 'createdAt'>>()
        .exec(),
    ]);
    return { depth, oldestCreatedAt: oldest?.createdAt ?? null };
  }

  /** Records the outcomes of many attempts in one bulkWrite, each with its events. */
  async finishMany(outcomes: DeliveryOutcomeWrite[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.deliveries.bulkWrite(
      outcomes.map((o) => ({
        updateOne: {
          filter: { _id: o.id },
          update: appendEvents<Delivery>(
            { $set: { sendingSince: null, ...o.set }, ...(o.inc ? { $inc: o.inc } : {}) },
            o.events,
          ),
        },
      })),
      { ordered: false },
    );
  }
}

/** A delivery as the worker first stores it. */
export type QueuedDelivery = Omit<
  Delivery,
  'createdAt' | 'updatedAt' | 'pendingEvents' | 'outboxPending' | 'sendingSince' | 'interruptedAttempts' | 'claim'
>;

export interface ClaimedDelivery {
  delivery: Delivery;
  /** When the attempt an earlier process started (and did not finish) began; null if none. */
  interruptedSince: Date | null;
}

export interface DeliveryOutcomeWrite {
  id: string;
  set: Partial<Delivery>;
  inc?: Partial<Record<'attempts' | 'interruptedAttempts', number>>;
  events: OutboxEvent[];
}
