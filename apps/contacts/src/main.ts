import 'reflect-metadata';
import { runService } from '@cp/platform';
import { ContactsConfig } from './config';
import { ContactsModule, SERVICE } from './contacts.module';

runService({
  service: SERVICE,
  schema: ContactsConfig,
  module: (config) => ContactsModule.forRoot(config),
  internal: true,
});
