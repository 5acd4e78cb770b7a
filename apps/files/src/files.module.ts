import { DynamicModule, Module } from '@nestjs/common';
import { DataServiceModule } from '@cp/messaging';
import { FilesConfig } from './config';
import { ObjectStore, ObjectStoreReadiness } from './repositories/object-store.repository';

export const SERVICE = 'files';

@Module({})
export class FilesModule {
  static forRoot(config: FilesConfig): DynamicModule {
    return {
      module: FilesModule,
      // Global so the readiness checks, built inside the health module, can reach the adapters.
      global: true,
      imports: [DataServiceModule.forRoot({ service: SERVICE, config, models: [], readiness: [ObjectStoreReadiness] })],
      providers: [{ provide: FilesConfig, useValue: config }, ObjectStore],
      exports: [FilesConfig, ObjectStore],
    };
  }
}
