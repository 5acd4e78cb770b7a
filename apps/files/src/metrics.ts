/** Upload metrics of the files service (see libs/platform/src/metrics.ts). */
import { Counter, Histogram } from 'prom-client';

/** stored; too_large (past the firm's limit); refused (bad form, unknown client); failed (store or database). */
export type UploadOutcome = 'stored' | 'too_large' | 'refused' | 'failed';

export const uploadBytes = new Counter({
  name: 'cp_upload_bytes_total',
  help: 'Bytes received in uploads, by outcome (stored, too_large, refused, failed)',
  labelNames: ['outcome'] as const,
});

export const uploadDuration = new Histogram({
  name: 'cp_upload_duration_seconds',
  help: 'One upload, first byte to stored (or refused), by outcome',
  labelNames: ['outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800, 3600],
});

export const uploadSize = new Histogram({
  name: 'cp_upload_size_bytes',
  help: 'Size of the files stored',
  buckets: [4096, 65536, 1048576, 8388608, 67108864, 536870912, 1073741824, 5368709120],
});
