import 'reflect-metadata';
import { loadConfigOrExit } from '@cp/config';
import { bootService } from '@cp/platform';
import { ContactsConfig } from './config';
import { ContactsModule, SERVICE } from './contacts.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(ContactsConfig, SERVICE);
  await bootService({ module: ContactsModule.forRoot(config), port: config.PORT, internalToken: config.INTERNAL_API_TOKEN });
}

void main();
