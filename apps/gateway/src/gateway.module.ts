import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule, loggingModule } from '@cp/platform';
import { GatewayConfig } from './config';
import { ServiceDirectory, ServicesReadiness } from './repositories/service-directory';

export const SERVICE = 'gateway';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const configProvider = { provide: GatewayConfig, useValue: config };
    return {
      module: GatewayModule,
      global: true,
      imports: [loggingModule(SERVICE, config.LOG_LEVEL), HealthModule.forRoot([ServicesReadiness])],
      providers: [configProvider, ServiceDirectory],
      exports: [configProvider, ServiceDirectory],
    };
  }
}
