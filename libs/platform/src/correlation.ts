import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { EventActor } from '@cp/contracts';
import type { NextFunction, Request, Response } from 'express';

/**
 * Carries the correlation id of the current request or event through async calls, and who made
 * the request from where (the audit trail's "who" and "from which address"). The store is one
 * object per request, so a guard that learns the actor later (the token) fills it in place.
 */
interface RequestContext {
  correlationId: string;
  actor?: EventActor;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const CORRELATION_HEADER = 'x-correlation-id';

/** The gateway passes the caller on to the services in these headers (never a secret). */
export const ACTOR_HEADERS = {
  id: 'x-actor-id',
  kind: 'x-actor-kind',
  ip: 'x-actor-ip',
  userAgent: 'x-actor-user-agent',
} as const;

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

export function currentActor(): EventActor | undefined {
  return storage.getStore()?.actor;
}

/** What every event created while handling this request carries: its correlation id and actor. */
export function eventContext(): { correlationId: string; actor?: EventActor } {
  const store = storage.getStore();
  return { correlationId: store?.correlationId ?? randomUUID(), ...(store?.actor ? { actor: store.actor } : {}) };
}

export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId }, fn);
}

/** The gateway, once it knows who is calling (a verified token or a verified password). */
export function identifyActor(id: string, kind: 'staff' | 'contact'): void {
  const store = storage.getStore();
  if (!store) return;
  store.actor = { ip: null, userAgent: null, ...store.actor, id, kind };
}

/** The headers a service call carries so the service's events name the same actor. */
export function actorHeaders(): Record<string, string> {
  const actor = currentActor();
  if (!actor) return {};
  const headers: Record<string, string> = { [ACTOR_HEADERS.kind]: actor.kind };
  if (actor.id) headers[ACTOR_HEADERS.id] = actor.id;
  if (actor.ip) headers[ACTOR_HEADERS.ip] = actor.ip;
  if (actor.userAgent) headers[ACTOR_HEADERS.userAgent] = encodeURIComponent(actor.userAgent);
  return headers;
}

const VALID_ID = /^[\w.:-]{1,128}$/;
const VALID_ACTOR_ID = /^[\w.:-]{1,64}$/;
const MAX_USER_AGENT = 512;

function clip(value: string | undefined, max: number): string | null {
  if (!value) return null;
  // Control characters would break a CSV line or a log line; nothing legitimate needs them.
  const clean = [...value]
    .map((c) => (c < ' ' || c === '\u007f' ? ' ' : c))
    .join('')
    .trim();
  return clean ? clean.slice(0, max) : null;
}

/** From the gateway's headers; a service behind the internal token trusts them, nothing else does. */
function actorFromHeaders(req: Request): EventActor | undefined {
  const kind = req.header(ACTOR_HEADERS.kind);
  if (kind !== 'staff' && kind !== 'contact' && kind !== 'anonymous' && kind !== 'system') return undefined;
  const id = req.header(ACTOR_HEADERS.id);
  let userAgent: string | undefined;
  try {
    userAgent = decodeURIComponent(req.header(ACTOR_HEADERS.userAgent) ?? '');
  } catch {
    userAgent = undefined;
  }
  return {
    id: id && VALID_ACTOR_ID.test(id) ? id : null,
    kind,
    ip: clip(req.header(ACTOR_HEADERS.ip), 64),
    userAgent: clip(userAgent, MAX_USER_AGENT),
  };
}

function context(req: Request, res: Response, actor: EventActor | undefined): RequestContext {
  const given = req.header(CORRELATION_HEADER);
  const correlationId = given && VALID_ID.test(given) ? given : randomUUID();
  req.headers[CORRELATION_HEADER] = correlationId;
  res.setHeader(CORRELATION_HEADER, correlationId);
  return actor ? { correlationId, actor } : { correlationId };
}

/** Express middleware of the services: adopt the caller's id (if well-formed) or mint one, echo it back. */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  // Only the gateway can reach a service (internal token), and it always sets or omits these.
  storage.run(context(req, res, actorFromHeaders(req)), next);
}

/**
 * The gateway's middleware: the client's address (as trusted by `trust proxy`) and user agent
 * start an anonymous actor; a client's own x-actor-* headers are never believed.
 */
export function edgeCorrelationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const actor: EventActor = {
    id: null,
    kind: 'anonymous',
    ip: clip(req.ip, 64),
    userAgent: clip(req.header('user-agent'), MAX_USER_AGENT),
  };
  storage.run(context(req, res, actor), next);
}
