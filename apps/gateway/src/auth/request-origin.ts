import type { RequestOrigin } from '@cp/contracts';
import type { Request } from 'express';

/** Where a request came from, for account events: the client address (TRUST_PROXY_HOPS) and user agent. */
export function requestOrigin(req: Request): RequestOrigin {
  const agent = req.headers['user-agent'];
  return {
    ip: req.ip?.slice(0, 64) ?? null,
    userAgent: typeof agent === 'string' && agent ? agent.slice(0, 512) : null,
  };
}
