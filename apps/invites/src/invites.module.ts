import { DynamicModule, Module } from '@nestjs/common';
import { DataServiceModule } from '@cp/messaging';
import { InvitesConfig } from './config';

export const SERVICE = 'invites';

@Module({})
export class InvitesModule {
  static forRoot(config: InvitesConfig): DynamicModule {
    return {
      module: InvitesModule,
      imports: [DataServiceModule.forRoot({ service: SERVICE, config, models: [] })],
      providers: [{ provide: InvitesConfig, useValue: config }],
    };
  }
}
