import { DynamicModule, Module } from '@nestjs/common';
import { DataServiceModule } from '@cp/messaging';
import { AuditConfig } from './config';
import { AuditController } from './controllers/audit.controller';
import { AuditEventsHandler } from './handlers/audit-events.handler';
import { AuditRecordRepository } from './repositories/audit-record.repository';
import { AuditPerson, AuditPersonSchema, AuditRecord, AuditRecordSchema } from './repositories/audit-record.schema';
import { RetentionSweep } from './use-cases/retention-sweep.job';

export const SERVICE = 'audit';

@Module({})
export class AuditModule {
  static forRoot(config: AuditConfig): DynamicModule {
    return {
      module: AuditModule,
      global: true,
      imports: [
        DataServiceModule.forRoot({
          service: SERVICE,
          config,
          models: [
            { name: AuditRecord.name, schema: AuditRecordSchema },
            { name: AuditPerson.name, schema: AuditPersonSchema },
          ],
        }),
      ],
      controllers: [AuditController],
      providers: [
        { provide: AuditConfig, useValue: config },
        AuditRecordRepository,
        AuditEventsHandler,
        RetentionSweep,
      ],
      exports: [AuditConfig],
    };
  }
}
