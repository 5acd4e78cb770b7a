import 'reflect-metadata';
import { allowLongTransfers, runService } from '@cp/platform';
import { AuditConfig } from './config';
import { AuditModule, SERVICE } from './audit.module';

runService({
  service: SERVICE,
  schema: AuditConfig,
  module: (config) => AuditModule.forRoot(config),
  internal: true,
  // A CSV export of years of records streams for a while.
  configure: (app) => allowLongTransfers(app),
});
