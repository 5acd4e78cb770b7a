import { DynamicModule, Module } from '@nestjs/common';
import { DataServiceModule, EventLog, EventLogRecord, EventLogRecordSchema } from '@cp/messaging';
import { FilesConfig } from './config';
import { FilesController } from './controllers/files.controller';
import { PortalFilesController } from './controllers/portal-files.controller';
import { RequestsController } from './controllers/requests.controller';
import { SettingsController } from './controllers/settings.controller';
import { ContactDirectory } from './repositories/contact-directory.repository';
import {
  DocumentRequest,
  DocumentRequestRepository,
  DocumentRequestSchema,
} from './repositories/document-request.repository';
import { FileRepository } from './repositories/file.repository';
import { StoredFile, StoredFileSchema } from './repositories/file.schema';
import { FileSettings, FileSettingsRepository, FileSettingsSchema } from './repositories/file-settings.repository';
import { ObjectStore, ObjectStoreReadiness } from './repositories/object-store.repository';
import { DocumentRequests } from './use-cases/document-requests.use-case';
import { FileLibrary } from './use-cases/file-library.use-case';
import { SharingRules } from './use-cases/sharing-rules';
import { SweepUploads } from './use-cases/sweep-uploads.job';
import { UploadFile } from './use-cases/upload-file.use-case';

export const SERVICE = 'files';

@Module({})
export class FilesModule {
  static forRoot(config: FilesConfig): DynamicModule {
    return {
      module: FilesModule,
      // Global so the readiness checks, built inside the health module, can reach the adapters.
      global: true,
      imports: [
        DataServiceModule.forRoot({
          service: SERVICE,
          config,
          models: [
            { name: StoredFile.name, schema: StoredFileSchema },
            { name: DocumentRequest.name, schema: DocumentRequestSchema },
            { name: FileSettings.name, schema: FileSettingsSchema },
            { name: EventLogRecord.name, schema: EventLogRecordSchema },
          ],
          outboxModels: [StoredFile.name, DocumentRequest.name, FileSettings.name, EventLogRecord.name],
          readiness: [ObjectStoreReadiness],
        }),
      ],
      controllers: [FilesController, PortalFilesController, RequestsController, SettingsController],
      providers: [
        { provide: FilesConfig, useValue: config },
        ObjectStore,
        EventLog,
        ContactDirectory,
        FileRepository,
        DocumentRequestRepository,
        FileSettingsRepository,
        SharingRules,
        UploadFile,
        FileLibrary,
        DocumentRequests,
        SweepUploads,
      ],
      exports: [FilesConfig, ObjectStore],
    };
  }
}
