/**
 * Prometheus metrics of every process (prom-client's default registry), served at GET /metrics by
 * the TelemetryModule that bootService adds to every app. Labels are bounded sets only (route
 * templates, topics, outcomes): never a raw URL, an id, an email or a token.
 */
import { Controller, Get, Header, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';
import { withTimeout } from './health';
import { routeTemplate } from './http-route';
import { Public } from './internal-token.guard';
import { stopTracing } from './tracing';

export const metricsRegistry = register;

export const httpRequestDuration = new Histogram({
  name: 'cp_http_request_duration_seconds',
  help: 'HTTP requests by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
});

export const jobPasses = new Counter({
  name: 'cp_job_passes_total',
  help: 'Passes of a background job (outbox relay, email delivery, invite expiry, reminders, upload sweep)',
  labelNames: ['task', 'outcome'] as const,
});

export const jobPassDuration = new Histogram({
  name: 'cp_job_pass_duration_seconds',
  help: 'Duration of one pass of a background job',
  labelNames: ['task'] as const,
  buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 30, 120],
});

export const jobItems = new Counter({
  name: 'cp_job_items_total',
  help: 'What background jobs did: invites expired, reminders queued, orphaned uploads removed',
  labelNames: ['task', 'result'] as const,
});

export const jobLastSuccess = new Gauge({
  name: 'cp_job_last_success_timestamp_seconds',
  help: 'When a pass of the background job last succeeded (Unix time)',
  labelNames: ['task'] as const,
});

export const readiness = new Gauge({
  name: 'cp_ready',
  help: '1 when the last /ready answered 200 (every dependency up), 0 when it answered 503',
});

export const readinessCheck = new Gauge({
  name: 'cp_readiness_check_up',
  help: 'Each dependency of the last /ready: 1 up, 0 down',
  labelNames: ['check'] as const,
});

/** Work that refreshes gauges read from elsewhere (a database, Kafka) just before a scrape. */
type ScrapeHook = () => Promise<void>;
const scrapeHooks = new Set<ScrapeHook>();
/** One slow dependency must not make the scrape time out: its gauges keep their last values. */
const SCRAPE_HOOK_TIMEOUT_MS = 3000;

/** Registers a refresh to run before each scrape; returns its removal (for shutdown). */
export function beforeScrape(hook: ScrapeHook): () => void {
  scrapeHooks.add(hook);
  return () => scrapeHooks.delete(hook);
}

const logger = new Logger('Metrics');

export async function renderMetrics(): Promise<string> {
  await Promise.all(
    [...scrapeHooks].map(async (hook) =>
      withTimeout('metrics refresh', SCRAPE_HOOK_TIMEOUT_MS, hook()).catch((error: unknown) =>
        logger.warn({ err: String(error) }, 'a metric could not be refreshed; it keeps its last value'),
      ),
    ),
  );
  return register.metrics();
}

/** Express middleware: times every request until its answer is sent (uploads: until the last byte). */
export function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
  const end = httpRequestDuration.startTimer();
  res.once('finish', () => end({ method: req.method, route: routeTemplate(req), status: String(res.statusCode) }));
  next();
}

let defaultsCollected = false;

/** Node's own metrics (CPU, memory, event loop lag, GC, handles), once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register });
}

/** Not in the gateway's OpenAPI document: the scrape is no part of the public API. */
@ApiExcludeController()
@Controller()
class MetricsController {
  /**
   * Public for the internal-token guard: Prometheus has no token. Not routed by the Ingress and
   * reachable only from Prometheus by NetworkPolicy (k8s/observability); holds no secret.
   */
  @Public()
  @Get('metrics')
  @Header('Content-Type', register.contentType)
  @Header('Cache-Control', 'no-store')
  async metrics(): Promise<string> {
    return renderMetrics();
  }
}

/** GET /metrics, and the last spans flushed at shutdown. bootService adds it to every app. */
@Module({ controllers: [MetricsController] })
export class TelemetryModule implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}

/** Paths that stay outside an app's global prefix (the gateway's /v1): probes and the scrape. */
export const UNPREFIXED_ROUTES = ['health', 'ready', 'metrics'];
