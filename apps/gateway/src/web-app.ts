import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The two areas of the web app (apps/web), each a single-page app with its own entry. */
export const WEB_AREAS = ['app', 'portal'] as const;

const pageHeaders = (res: Response) =>
  res.set({
    // The page names its hashed scripts; it must be fetched fresh so a deploy takes effect.
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  });

/**
 * Serves the built web app at the API's origin (one cookie domain, no CORS): hashed assets under
 * /assets, and each area's page for every path under /app and /portal (the browser's router
 * takes it from there). /v1 and the probes are untouched. Without a build, nothing is served and
 * the API works as before.
 */
export function serveWebApp(app: NestExpressApplication, dir: string): void {
  const logger = new Logger('WebApp');
  if (!WEB_AREAS.every((area) => existsSync(join(dir, area, 'index.html')))) {
    logger.warn({ dir }, 'no web app build found; /app and /portal are not served (run scripts/build.sh)');
    return;
  }
  app.useStaticAssets(join(dir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  const express = app.getHttpAdapter().getInstance();
  for (const area of WEB_AREAS) {
    const page = join(dir, area, 'index.html');
    express.get([`/${area}`, `/${area}/*rest`], (_req, res) => pageHeaders(res).sendFile(page));
  }
  express.get('/', (_req, res) => res.redirect(302, '/app'));
}
