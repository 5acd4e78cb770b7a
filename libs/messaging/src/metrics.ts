/** Kafka and outbox metrics of the services that own data (see libs/platform/src/metrics.ts). */
import { Counter, Gauge, Histogram } from 'prom-client';

export const consumerLag = new Gauge({
  name: 'cp_kafka_consumer_lag_messages',
  help: "Messages of a topic not yet committed by this service's consumer group (read from Kafka at scrape)",
  labelNames: ['topic'] as const,
});

export const handlingDuration = new Histogram({
  name: 'cp_kafka_handling_duration_seconds',
  help: 'Time to handle one chunk of a fetched batch (inbox read, handlers, inbox write), per topic',
  labelNames: ['topic'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

export const eventsConsumed = new Counter({
  name: 'cp_kafka_messages_consumed_total',
  help: 'Messages taken from a topic (handled, skipped as already handled, or parked)',
  labelNames: ['topic'] as const,
});

export const deadLetterMessages = new Counter({
  name: 'cp_dead_letter_messages_total',
  help: 'Messages parked on <topic>.dead-letter after their handler kept failing or they were malformed',
  labelNames: ['topic'] as const,
});

export const eventsPublished = new Counter({
  name: 'cp_outbox_published_events_total',
  help: 'Events the outbox relay published (acknowledged by Kafka), per topic',
  labelNames: ['topic'] as const,
});

export const outboxPending = new Gauge({
  name: 'cp_outbox_pending_events',
  help: 'Events recorded in an outbox and not yet published, per outbox collection (read at scrape)',
  labelNames: ['collection'] as const,
});

export const outboxOldestAge = new Gauge({
  name: 'cp_outbox_oldest_event_age_seconds',
  help: 'Age of the oldest unpublished outbox event, per outbox collection (0 when none; read at scrape)',
  labelNames: ['collection'] as const,
});
