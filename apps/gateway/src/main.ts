import 'reflect-metadata';
import { allowLongTransfers, runService, UNPREFIXED_ROUTES } from '@cp/platform';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express } from 'express';
import { GatewayConfig } from './config';
import { GatewayModule, SERVICE } from './gateway.module';
import { setupOpenApi } from './openapi';
import { serveWebApp } from './web-app';

runService({
  service: SERVICE,
  schema: GatewayConfig,
  module: (config) => GatewayModule.forRoot(config),
  internal: false,
  configure: (app, config) => {
    // The public API is versioned; probes and the scrape stay where the orchestrator looks for
    // them, outside /v1, which is all the Ingress routes to the API (/metrics is not public).
    app.setGlobalPrefix('v1', { exclude: UNPREFIXED_ROUTES });
    const express = app.getHttpAdapter().getInstance() as Express;
    // Rate limits key on the client's address: behind a proxy it is in X-Forwarded-For.
    express.set('trust proxy', config.TRUST_PROXY_HOPS);
    express.disable('x-powered-by');
    // Uploads and downloads stream through: a large one may take longer than Node's default.
    allowLongTransfers(app);
    setupOpenApi(app);
    serveWebApp(app as NestExpressApplication, config.WEB_APP_DIR);
  },
});
