import 'reflect-metadata';
import { runService } from '@cp/platform';
import { GatewayConfig } from './config';
import { GatewayModule, SERVICE } from './gateway.module';
import { setupOpenApi } from './openapi';

runService({
  service: SERVICE,
  schema: GatewayConfig,
  module: (config) => GatewayModule.forRoot(config),
  internal: false,
  configure: (app) => setupOpenApi(app),
});
