import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, EventData, EventType } from './events';
import { Topic } from './topics';

/**
 * Who caused an event and from where, when it came from an HTTP request (the gateway passes it on
 * to the services). `anonymous` for a request before sign-in; `system` for work the services do on their own (expiry sweeps, retries).
 * Never a secret: no token, password or session id.
 */
export interface EventActor {
  id: string | null;
  kind: 'staff' | 'contact' | 'anonymous' | 'system';
  ip: string | null;
  userAgent: string | null;
}

/** The JSON value of every Kafka message (API.md "Events"). The message key is the contactId. */
export interface EventEnvelope<T extends Topic = Topic> {
  id: string;
  type: EventType<T>;
  version: number;
  occurredAt: string;
  firmId: string;
  correlationId: string;
  /** Absent in events published before actors were recorded, and in events no request caused. */
  actor?: EventActor;
  data: EventData<T>;
}

/** A fact ready to be stored in an outbox: the envelope plus where and under which key it goes. */
export interface OutboxEvent<T extends Topic = Topic> {
  topic: T;
  key: string;
  envelope: EventEnvelope<T>;
  /**
   * The trace the event was recorded in (W3C traceparent/tracestate), when tracing is on. Stored
   * with the event and sent as Kafka headers, never in the envelope: not part of the contract.
   */
  trace?: Record<string, string>;
}

export interface NewEvent<T extends Topic> {
  topic: T;
  firmId: string;
  correlationId: string;
  /** Partition key; API.md fixes it to the contactId so each contact's events stay in order. */
  key: string;
  data: EventData<T>;
  occurredAt?: Date;
  actor?: EventActor;
}

export function createEvent<T extends Topic>(event: NewEvent<T>): OutboxEvent<T> {
  const { type, version } = EVENT_TYPES[event.topic];
  return {
    topic: event.topic,
    key: event.key,
    envelope: {
      id: randomUUID(),
      type,
      version,
      occurredAt: (event.occurredAt ?? new Date()).toISOString(),
      firmId: event.firmId,
      correlationId: event.correlationId,
      ...(event.actor ? { actor: event.actor } : {}),
      data: event.data,
    },
  };
}

export function isEnvelope(value: unknown): value is EventEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.type === 'string' &&
    typeof v.version === 'number' &&
    typeof v.occurredAt === 'string' &&
    typeof v.firmId === 'string' &&
    typeof v.correlationId === 'string' &&
    typeof v.data === 'object' &&
    v.data !== null
  );
}
