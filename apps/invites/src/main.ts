import 'reflect-metadata';
import { runService } from '@cp/platform';
import { InvitesConfig } from './config';
import { InvitesModule, SERVICE } from './invites.module';

runService({
  service: SERVICE,
  schema: InvitesConfig,
  module: (config) => InvitesModule.forRoot(config),
  internal: true,
});
