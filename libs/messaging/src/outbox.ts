import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { beforeScrape, currentTrace, PollingJob } from '@cp/platform';
import { InjectConnection } from '@nestjs/mongoose';
import { OutboxEvent } from '@cp/contracts';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { Connection, Schema, UpdateQuery } from 'mongoose';
import { EventPublisher } from './event-publisher';
import { eventsPublished, outboxOldestAge, outboxPending } from './metrics';

/**
 * The outbox lives inside each aggregate's own document: a standalone MongoDB-wire server has
 * no multi-document transactions, but a single-document write is atomic. So "save the contact"
 * and "record ContactAdded" are one insert, and a relay publishes what is pending.
 */
export interface WithOutbox {
  pendingEvents: OutboxEvent[];
  outboxPending: boolean;
}

interface OutboxDocument extends WithOutbox {
  /** Every aggregate of the system has a string id (a UUID). */
  _id: string;
  outboxLeaseUntil?: Date | null;
  outboxClaim?: string | null;
}

/** A document whose lease ended at the epoch is free for any relay to claim. */
const UNLEASED = new Date(0);

/** Tells this process's relay that an outbox write just happened, so it need not wait for its poll. */
const outboxWrites = new EventEmitter();
outboxWrites.setMaxListeners(0);

export function outboxPlugin(schema: Schema): void {
  schema.add({
    pendingEvents: { type: [Object], default: [] },
    outboxPending: { type: Boolean, default: false },
  });
  // The relay's poll: only documents with pending events whose lease (if any) ran out.
  schema.index({ outboxPending: 1, outboxLeaseUntil: 1 });
  // Only writes that record events wake the relay: a busy collection's other writes (a portal
  // projection, a delivery's claim) would otherwise make it poll back to back.
  const signal = () => void outboxWrites.emit('write');
  schema.post('save', function (doc: Partial<WithOutbox>) {
    if (doc.outboxPending) signal();
  });
  schema.post('insertMany', function (docs: unknown) {
    if (Array.isArray(docs) && docs.some((doc: Partial<WithOutbox>) => doc.outboxPending)) signal();
  });
  schema.post(['findOneAndUpdate', 'updateOne', 'updateMany'], { document: false, query: true }, function () {
    if (recordsEvents(this.getUpdate())) signal();
  });
  schema.post('bulkWrite', signal);
}

/** Whether an update appends events (see appendEvents). */
function recordsEvents(update: unknown): boolean {
  const set = (update as { $set?: { outboxPending?: unknown } } | null)?.$set;
  return set?.outboxPending === true;
}

/** The events with the trace they are recorded in (when tracing is on), so it continues on Kafka. */
function traced(events: OutboxEvent[]): OutboxEvent[] {
  const trace = currentTrace();
  return trace ? events.map((event) => ({ ...event, trace: event.trace ?? trace })) : events;
}

/** Fields to set on a new document so that it is stored together with its events. */
export function withEvents<T extends object>(doc: T, events: OutboxEvent[]): T & WithOutbox {
  return { ...doc, pendingEvents: traced(events), outboxPending: events.length > 0 };
}

/** Adds events to an update so they are recorded by the same atomic write. */
export function appendEvents<T>(update: UpdateQuery<T>, events: OutboxEvent[]): UpdateQuery<T> {
  if (events.length === 0) return update;
  const set = { ...((update.$set as object | undefined) ?? {}), outboxPending: true };
  const push = { ...((update.$push as object | undefined) ?? {}), pendingEvents: { $each: traced(events) } };
  return { ...update, $set: set, $push: push };
}

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxOptions {
  /** Mongoose model names whose documents carry an outbox. */
  models: string[];
  pollMs: number;
  enabled: boolean;
  /** Documents claimed per pass and model. */
  batchSize?: number;
  /** How long a claim keeps other relays (replicas) off a document; longer than one pass takes. */
  leaseMs?: number;
}

/**
 * Publishes pending events, a batch of documents at a time. Each pass reads only documents with
 * pending events whose lease ran out (index `outboxPending, outboxLeaseUntil`), claims them all
 * with one conditional updateMany (so two relays never publish the same document's events), sends
 * their events in one produce request (acks=all, each document's events in order), and removes
 * what was acknowledged in one bulkWrite. A crash after the publish and before that write
 * publishes again with the same event ids once the lease ends: at-least-once, consumers
 * deduplicate by id. Writes in this process wake the relay at once; the poll is the fallback.
 */
@Injectable()
export class OutboxRelay extends PollingJob implements OnModuleDestroy {
  protected readonly logger = new Logger(OutboxRelay.name);
  private readonly wake = () => this.poke();
  private stopBacklogMetric?: () => void;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly publisher: EventPublisher,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
  ) {
    super();
  }

  protected override get enabled(): boolean {
    if (!this.options.enabled) this.logger.warn('outbox relay disabled by OUTBOX_RELAY_ENABLED=false');
    return this.options.enabled;
  }

  override onApplicationBootstrap(): void {
    // Measured with the relay off too: that is when a backlog builds up.
    this.stopBacklogMetric = beforeScrape(async () => this.measureBacklog());
    if (this.enabled) outboxWrites.on('write', this.wake);
    super.onApplicationBootstrap();
  }

  onModuleDestroy(): void {
    this.stopBacklogMetric?.();
    outboxWrites.off('write', this.wake);
  }

  /** Pending events and the age of the oldest, per outbox collection (read through the relay's index). */
  private async measureBacklog(): Promise<void> {
    const now = Date.now();
    for (const name of this.options.models) {
      const collection = this.connection.model(name).collection as unknown as Collection<OutboxDocument>;
      const [backlog] = await collection
        .aggregate<{ events: number; oldest: string | null }>([
          { $match: { outboxPending: true } },
          { $unwind: '$pendingEvents' },
          { $group: { _id: null, events: { $sum: 1 }, oldest: { $min: '$pendingEvents.envelope.occurredAt' } } },
        ])
        .toArray();
      const oldest = backlog?.oldest ? Date.parse(backlog.oldest) : NaN;
      outboxPending.set({ collection: collection.collectionName }, backlog?.events ?? 0);
      outboxOldestAge.set(
        { collection: collection.collectionName },
        Number.isNaN(oldest) ? 0 : Math.max(0, (now - oldest) / 1000),
      );
    }
  }

  protected get pauseMs(): number {
    return this.options.pollMs;
  }

  /** Published something: there may be more, so look again at once. */
  protected async runPass(): Promise<boolean> {
    const published = await this.drain();
    this.countItems('published', published);
    return published > 0;
  }

  /** One pass over every outbox; returns how many events were published. */
  async drain(batchSize = this.options.batchSize ?? 500): Promise<number> {
    let published = 0;
    for (const name of this.options.models) {
      const collection = this.connection.model(name).collection as unknown as Collection<OutboxDocument>;
      try {
        published += await this.relayBatch(collection, batchSize);
      } catch (error) {
        // This batch's events stay pending (and in order); the next pass tries again.
        this.logger.warn({ model: name, err: String(error) }, 'outbox events could not be published; will retry');
      }
    }
    return published;
  }

  private async relayBatch(collection: Collection<OutboxDocument>, batchSize: number): Promise<number> {
    const claim = randomUUID();
    const docs = await this.claimBatch(collection, batchSize, claim);
    if (docs.length === 0) return 0;
    const events = docs.flatMap((d) => d.pendingEvents);
    try {
      await this.publisher.publishAll(events);
    } catch (error) {
      // Nothing acknowledged is assumed: free the batch for the next pass instead of waiting out the lease.
      await collection.updateMany(
        { _id: { $in: docs.map((d) => d._id) }, outboxClaim: claim },
        { $set: { outboxLeaseUntil: UNLEASED } },
      );
      throw error;
    }
    for (const event of events) eventsPublished.inc({ topic: event.topic });
    // Bookkeeping, not a change of the entity: updatedAt stays as the last real change left it.
    // Usually nothing was appended while the batch was out (the claim keeps other relays off, and
    // events are only ever appended): one write per document empties and frees it.
    const cleared = await collection.bulkWrite(
      docs.map((d) => ({
        updateOne: {
          filter: { _id: d._id, pendingEvents: { $size: d.pendingEvents.length } },
          update: { $set: { pendingEvents: [], outboxPending: false, outboxLeaseUntil: UNLEASED } },
        },
      })),
      { ordered: false },
    );
    if (cleared.matchedCount === docs.length) return events.length;
    // Some got new events meanwhile. Per document: drop what was published ($pullAll: the new
    // events stay), free it, and clear the flag only if nothing new was appended (the filter makes
    // that atomic). Documents already emptied above are left as they are by both.
    const writes: AnyBulkWriteOperation<OutboxDocument>[] = docs.flatMap((d) => [
      {
        updateOne: {
          filter: { _id: d._id },
          update: { $pullAll: { pendingEvents: d.pendingEvents }, $set: { outboxLeaseUntil: UNLEASED } },
        },
      },
      {
        updateOne: {
          filter: { _id: d._id, pendingEvents: { $size: 0 } },
          update: { $set: { outboxPending: false } },
        },
      },
    ]);
    if (writes.length > 0) await collection.bulkWrite(writes, { ordered: true });
    return events.length;
  }

  /**
   * Reads free documents with pending events and claims them with one conditional updateMany;
   * answers those this claim got. When another relay claimed the same ones first, it reads again
   * (a few times), rather than idling a whole poll while work is waiting.
   */
  private async claimBatch(
    collection: Collection<OutboxDocument>,
    batchSize: number,
    claim: string,
  ): Promise<OutboxDocument[]> {
    for (let round = 0; round < 5; round++) {
      const now = new Date();
      const free = { outboxPending: true, outboxLeaseUntil: { $not: { $gt: now } } };
      const candidates = await collection.find(free, { projection: { _id: 1 }, limit: batchSize }).toArray();
      if (candidates.length === 0) return [];
      const ids = candidates.map((c) => c._id);
      const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 30_000));
      // A document another relay claimed meanwhile no longer matches `free`.
      await collection.updateMany(
        { _id: { $in: ids }, ...free },
        { $set: { outboxLeaseUntil: leaseUntil, outboxClaim: claim } },
      );
      const docs = await collection
        .find({ _id: { $in: ids }, outboxClaim: claim }, { projection: { pendingEvents: 1 } })
        .toArray();
      if (docs.length > 0) return docs;
    }
    return [];
  }
}
