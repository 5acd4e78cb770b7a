import { DynamicModule, Module } from '@nestjs/common';
import { DataServiceModule, EventLog, EventLogRecord, EventLogRecordSchema } from '@cp/messaging';
import { NotificationsConfig } from './config';
import { InviteEmailHandler } from './handlers/invite-email.handler';
import { TwoStepCodeHandler } from './handlers/two-step-code.handler';
import { DeliveryRepository } from './repositories/delivery.repository';
import { Delivery, DeliverySchema } from './repositories/delivery.schema';
import { MailTransport, SmtpReadiness } from './repositories/mail-transport.repository';
import { DeliverEmail } from './use-cases/deliver-email.use-case';
import { Clock } from './use-cases/clock';
import { SendReminders } from './use-cases/send-reminders.job';
import { ReminderRepository } from './repositories/reminder.repository';
import { InviteReminder, InviteReminderSchema } from './repositories/reminder.schema';
import { InviteEndedHandler } from './handlers/invite-ended.handler';
import { EmailTemplates } from './use-cases/email-templates.use-case';
import { TemplateRepository } from './repositories/template.repository';
import { EmailTemplate, EmailTemplateSchema } from './repositories/template.schema';
import { TemplatesController } from './controllers/templates.controller';
import { DeliveriesController } from './controllers/deliveries.controller';
import { ReminderSettingsController } from './controllers/reminder-settings.controller';
import { FileUploadedHandler } from './handlers/file-uploaded.handler';
import {
  ContactInviter,
  ContactInviterRepository,
  ContactInviterSchema,
} from './repositories/contact-inviter.repository';
import {
  ReminderSettings,
  ReminderSettingsRepository,
  ReminderSettingsSchema,
} from './repositories/reminder-settings.repository';
import { ReminderSchedule } from './use-cases/reminder-schedule.use-case';
import { EmailQueueGauges } from './use-cases/email-queue-gauges';

export const SERVICE = 'notifications';

@Module({})
export class NotificationsModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsModule,
      // Global so the readiness checks, built inside the health module, can reach the adapters.
      global: true,
      imports: [
        DataServiceModule.forRoot({
          service: SERVICE,
          config,
          models: [
            { name: Delivery.name, schema: DeliverySchema },
            { name: EmailTemplate.name, schema: EmailTemplateSchema },
            { name: InviteReminder.name, schema: InviteReminderSchema },
            { name: ContactInviter.name, schema: ContactInviterSchema },
            { name: ReminderSettings.name, schema: ReminderSettingsSchema },
            { name: EventLogRecord.name, schema: EventLogRecordSchema },
          ],
          outboxModels: [Delivery.name, EmailTemplate.name, ReminderSettings.name, EventLogRecord.name],
          readiness: [SmtpReadiness],
        }),
      ],
      controllers: [TemplatesController, DeliveriesController, ReminderSettingsController],
      providers: [
        { provide: NotificationsConfig, useValue: config },
        InviteEmailHandler,
        TwoStepCodeHandler,
        InviteEndedHandler,
        FileUploadedHandler,
        MailTransport,
        DeliveryRepository,
        DeliverEmail,
        TemplateRepository,
        EventLog,
        EmailTemplates,
        ReminderRepository,
        Clock,
        SendReminders,
        ContactInviterRepository,
        ReminderSettingsRepository,
        ReminderSchedule,
        EmailQueueGauges,
      ],
      exports: [NotificationsConfig, MailTransport],
    };
  }
}
