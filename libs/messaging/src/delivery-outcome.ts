import { EventEnvelope, Topic } from '@cp/contracts';

export interface DeliveryOutcome {
  status: 'sent' | 'failed';
  at: Date;
  reason: string | null;
}

export function deliveryOutcome(
  event: EventEnvelope<Topic.NotificationSent | Topic.NotificationFailed>,
): DeliveryOutcome {
  return {
    status: event.type === 'NotificationSent' ? 'sent' : 'failed',
    at: new Date(event.occurredAt),
    reason: event.data.reason ?? null,
  };
}

/**
 * Filter + update that record an email outcome only if it is newer than the one stored:
 * repeats and late arrivals change nothing (idempotent, order-tolerant).
 */
export function newerOutcome(field: string, outcome: DeliveryOutcome) {
  return {
    filter: { $or: [{ [field]: null }, { [`${field}.at`]: { $lt: outcome.at } }] },
    update: { $set: { [field]: outcome } },
  };
}
