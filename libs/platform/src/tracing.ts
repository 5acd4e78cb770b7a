/**
 * Optional OpenTelemetry traces (TRACING_ENABLED, off by default), exported over OTLP/HTTP (JSON)
 * to OTEL_EXPORTER_OTLP_ENDPOINT. HTTP is traced by instrumentation-http, which must patch `http`
 * before anything loads it: this file is the first one libs/platform's index loads, and a
 * service's main.ts imports @cp/platform first. Kafka is traced by libs/messaging itself (the
 * outbox publishes long after the request, so the context travels with each stored event).
 */
import { context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { redactUrl, routeTemplate } from './http-route';

/** Where a trace continues: the W3C `traceparent` (and `tracestate`) of a span. */
export type TraceCarrier = Record<string, string>;

const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);
/** URL attributes of HTTP spans; their values are replaced by the redacted path (no query, no token). */
const URL_ATTRIBUTES = ['http.url', 'http.target', 'url.full', 'url.path', 'url.query'];

const enabledByEnvironment = ['1', 'true', 'yes'].includes((process.env.TRACING_ENABLED ?? '').toLowerCase());

if (enabledByEnvironment) {
  // Loaded only when traces are on. Enabled on construction; its spans reach the SDK once
  // startTracing registers it (the API's tracer provider is a proxy until then).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  /* eslint-enable @typescript-eslint/no-require-imports */
  new HttpInstrumentation({
    ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
    // Background calls (object store, readiness probes) are not part of a request's trace.
    requireParentforOutgoingSpans: true,
    applyCustomAttributesOnSpan: (span, request) => {
      const attributes = (span as unknown as { attributes?: Record<string, unknown> }).attributes ?? {};
      // An incoming request (IncomingMessage) has a url; an outgoing one (ClientRequest) a path
      // (express adds a `path` getter to incoming ones too, so `url` tells them apart).
      const incoming = 'url' in request;
      const url = incoming ? (request.url ?? '') : (request as { path: string }).path;
      for (const key of URL_ATTRIBUTES.filter((k) => k in attributes)) {
        span.setAttribute(key, key === 'url.query' ? '' : redactUrl(url));
      }
      if (!incoming) return;
      // Express has matched the route by the time the answer ends: name the span by its template.
      const template = routeTemplate(request as typeof request & { route?: unknown; baseUrl?: string });
      if (template === 'unmatched') return;
      span.setAttribute('http.route', template);
      span.updateName(`${request.method ?? ''} ${template}`);
    },
  });
}

interface TracingSettings {
  TRACING_ENABLED?: boolean;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

let started: { shutdown(): Promise<void> } | undefined;

/** Starts the SDK for this service when the configuration turns traces on (runService calls it). */
export function startTracing(service: string, config: TracingSettings): void {
  if (!config.TRACING_ENABLED || started) return;
  // Loaded only when traces are on: a service without them never pays for the SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const endpoint = (config.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').replace(/\/$/, '');
  const sdk = new NodeSDK({
    serviceName: service,
    traceExporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }),
    instrumentations: [],
  });
  sdk.start();
  started = sdk;
}

/** Flushes the spans still buffered (at shutdown). */
export async function stopTracing(): Promise<void> {
  await started?.shutdown().catch(() => undefined);
  started = undefined;
}

const tracer = () => trace.getTracer('client-portal');

/** The current context as a carrier to store or send on (empty when traces are off). */
export function currentTrace(ctx: Context = context.active()): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a stored or received carrier continues. */
export function traceContextOf(carrier: TraceCarrier | null | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}

/** Starts a span as a child of a carried context (or of nothing); end it with endSpan. */
export function startSpan(
  name: string,
  kind: SpanKind,
  parent: TraceCarrier | null | undefined,
  attributes: Record<string, string | number> = {},
): { span: Span; ctx: Context } {
  const parentContext = traceContextOf(parent);
  const span = tracer().startSpan(name, { kind, attributes }, parentContext);
  return { span, ctx: trace.setSpan(parentContext, span) };
}

/** Runs `work` inside a new span that continues `parent`; the span ends with its outcome. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: TraceCarrier | null | undefined,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
): Promise<T> {
  const { span, ctx } = startSpan(name, kind, parent, attributes);
  try {
    return await context.with(ctx, work);
  } catch (error) {
    endSpan(span, error);
    throw error;
  } finally {
    if (span.isRecording()) span.end();
  }
}

/** Ends a span, marking it failed when given an error (only its message, never a payload). */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'failed';
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  span.end();
}

export { SpanKind };
