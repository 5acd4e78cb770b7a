import { DynamicModule, Module } from '@nestjs/common';
import { DataServiceModule } from '@cp/messaging';
import { NotificationsConfig } from './config';
import { MailTransport, SmtpReadiness } from './repositories/mail-transport.repository';

export const SERVICE = 'notifications';

@Module({})
export class NotificationsModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsModule,
      // Global so the readiness checks, built inside the health module, can reach the adapters.
      global: true,
      imports: [DataServiceModule.forRoot({ service: SERVICE, config, models: [], readiness: [SmtpReadiness] })],
      providers: [{ provide: NotificationsConfig, useValue: config }, MailTransport],
      exports: [NotificationsConfig, MailTransport],
    };
  }
}
