import 'reflect-metadata';
import { runService } from '@cp/platform';
import { NotificationsConfig } from './config';
import { NotificationsModule, SERVICE } from './notifications.module';

runService({
  service: SERVICE,
  schema: NotificationsConfig,
  module: (config) => NotificationsModule.forRoot(config),
  internal: true,
});
