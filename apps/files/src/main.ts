import 'reflect-metadata';
import { allowLongTransfers, runService } from '@cp/platform';
import { FilesConfig } from './config';
import { FilesModule, SERVICE } from './files.module';

runService({
  service: SERVICE,
  schema: FilesConfig,
  module: (config) => FilesModule.forRoot(config),
  internal: true,
  configure: (app) => allowLongTransfers(app),
});
