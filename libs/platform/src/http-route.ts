/**
 * How a request is named in logs, metrics and traces: by the route it matched, never by its raw
 * path, which can hold ids and secrets. No imports: tracing.ts loads this before `http`.
 */

/** The route a request matched, as its template (`/v1/clients/:clientId`); `unmatched` when none. */
export function routeTemplate(req: { route?: unknown; baseUrl?: string }): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}

/** Replaces path segments that may be secrets (long opaque strings) and drops the query. */
export function redactUrl(url: string): string {
  const path = url.split('?')[0];
  return path.replace(/\/portal\/invites\/[^/]+/, '/portal/invites/[redacted]');
}
