import { Inject, Injectable, Logger } from '@nestjs/common';
import { PollingJob } from '@cp/platform';
import { InjectConnection } from '@nestjs/mongoose';
import { OutboxEvent } from '@cp/contracts';
import type { Connection, Model, Schema, UpdateQuery } from 'mongoose';
import { DocumentLocks } from './document-locks';
import { EventPublisher } from './event-publisher';

/**
 * The outbox lives inside each aggregate's own document: FerretDB (and a standalone MongoDB)
 * has no multi-document transactions, but a single-document write is atomic. So "save the
 * contact" and "record ContactAdded" are one insert, and a relay publishes what is pending.
 */
export interface WithOutbox {
  pendingEvents: OutboxEvent[];
  outboxPending: boolean;
}

interface OutboxDocument extends WithOutbox {
  _id: unknown;
}

export function outboxPlugin(schema: Schema): void {
  schema.add({
    pendingEvents: { type: [Object], default: [] },
    outboxPending: { type: Boolean, default: false },
  });
  schema.index({ outboxPending: 1 });
}

/** Fields to set on a new document so that it is stored together with its events. */
export function withEvents<T extends object>(doc: T, events: OutboxEvent[]): T & WithOutbox {
  return { ...doc, pendingEvents: events, outboxPending: events.length > 0 };
}

/** Adds events to an update so they are recorded by the same atomic write. */
export function appendEvents<T>(update: UpdateQuery<T>, events: OutboxEvent[]): UpdateQuery<T> {
  if (events.length === 0) return update;
  const set = { ...((update.$set as object | undefined) ?? {}), outboxPending: true };
  const push = { ...((update.$push as object | undefined) ?? {}), pendingEvents: { $each: events } };
  return { ...update, $set: set, $push: push };
}

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxOptions {
  /** Mongoose model names whose documents carry an outbox. */
  models: string[];
  pollMs: number;
  enabled: boolean;
}

/**
 * Polls for documents with pending events and publishes them in order, then removes what was
 * acknowledged. A crash between publish and removal publishes again with the same event id:
 * delivery is at-least-once and consumers deduplicate by id.
 */
@Injectable()
export class OutboxRelay extends PollingJob {
  protected readonly logger = new Logger(OutboxRelay.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly publisher: EventPublisher,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    private readonly locks: DocumentLocks = new DocumentLocks(),
  ) {
    super();
  }

  protected override get enabled(): boolean {
    if (!this.options.enabled) this.logger.warn('outbox relay disabled by OUTBOX_RELAY_ENABLED=false');
    return this.options.enabled;
  }

  protected get pauseMs(): number {
    return this.options.pollMs;
  }

  /** Published something: there may be more, so look again at once. */
  protected async runPass(): Promise<boolean> {
    return (await this.drain()) > 0;
  }

  private async relayDocument(
    model: Model<OutboxDocument>,
    doc: { _id: unknown; pendingEvents: OutboxEvent[] },
  ): Promise<number> {
    const done: OutboxEvent[] = [];
    try {
      for (const event of doc.pendingEvents) {
        await this.publisher.publish(event);
        done.push(event);
      }
    } finally {
      if (done.length > 0) {
        // $pullAll by whole value: FerretDB's $pull only matches by equality, not by condition.
        await model.updateOne({ _id: doc._id }, { $pullAll: { pendingEvents: done } }, { timestamps: false });
      }
    }
    // Clears the flag only if nothing new was appended meanwhile (the filter makes it atomic).
    // Bookkeeping, not a change of the entity: updatedAt stays as the last real change left it.
    await model.updateOne(
      { _id: doc._id, pendingEvents: { $size: 0 } },
      { $set: { outboxPending: false } },
      { timestamps: false },
    );
    return done.length;
  }

  /** One pass over every outbox; returns how many events were published. */
  async drain(batchSize = 100): Promise<number> {
    let published = 0;
    for (const name of this.options.models) {
      const model = this.connection.model<OutboxDocument>(name);
      const docs = await model
        .find({ outboxPending: true }, { pendingEvents: 1 })
        .limit(batchSize)
        .lean<{ _id: unknown; pendingEvents: OutboxEvent[] }[]>();
      let failures = 0;
      let lastError: unknown;
      for (const doc of docs) {
        try {
          published += await this.locks.run(String(doc._id), async () => this.relayDocument(model, doc));
        } catch (error) {
          // This document's events stay pending (and in order); the others still go out.
          failures++;
          lastError = error;
        }
      }
      if (failures > 0) {
        this.logger.warn(
          { model: name, failures, err: String(lastError) },
          'some outbox events could not be published; will retry',
        );
      }
    }
    return published;
  }
}
