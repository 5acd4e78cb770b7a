/** Email metrics of the notifications service (see libs/platform/src/metrics.ts). */
import { Counter, Gauge, Histogram } from 'prom-client';
import { DELIVERY_KINDS } from '@cp/contracts';

const byKind = ['kind'] as const;

export const emailsSent = new Counter({
  name: 'cp_emails_sent_total',
  help: 'Emails the SMTP server accepted, by kind (invite, reminder, accepted-notice, upload-notice)',
  labelNames: byKind,
});

export const emailsFailed = new Counter({
  name: 'cp_emails_failed_total',
  help: 'Emails given up on (permanent SMTP refusal, unrenderable, or retried for 24 hours), by kind',
  labelNames: byKind,
});

export const emailsRetried = new Counter({
  name: 'cp_emails_retried_total',
  help: 'Attempts that failed temporarily (4xx, connection, timeout) and were scheduled again, by kind',
  labelNames: byKind,
});

export const emailSendDuration = new Histogram({
  name: 'cp_email_send_duration_seconds',
  help: 'One attempt: render and SMTP transaction',
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30],
});

export const emailQueueDepth = new Gauge({
  name: 'cp_email_queue_depth',
  help: 'Emails stored and not yet sent or failed (due or waiting for a retry; held notices excluded), read at scrape',
});

export const emailQueueOldestAge = new Gauge({
  name: 'cp_email_queue_oldest_age_seconds',
  help: 'Age of the oldest email in the queue (0 when empty), read at scrape',
});

// Every kind present at 0 from the start, so the first failure shows in rate() and increase().
for (const kind of DELIVERY_KINDS) {
  for (const counter of [emailsSent, emailsFailed, emailsRetried]) counter.inc({ kind }, 0);
}
