import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { InviteSettingsDto, InviteSettingsView } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { InvitesConfig } from '../config';
import { FirmSettingsRepository } from '../repositories/firm-settings.repository';

@Controller('firms/:firmId/settings')
export class SettingsController {
  constructor(
    private readonly settings: FirmSettingsRepository,
    private readonly config: InvitesConfig,
  ) {}

  @Get()
  async get(@Param('firmId') firmId: string): Promise<InviteSettingsView> {
    const saved = await this.settings.find(firmScope(firmId));
    return { inviteExpiryDays: saved?.inviteExpiryDays ?? this.config.INVITE_EXPIRY_DAYS };
  }

  @Put()
  async put(@Param('firmId') firmId: string, @Body() body: InviteSettingsDto): Promise<InviteSettingsView> {
    await this.settings.save(firmScope(firmId), body.inviteExpiryDays);
    return { inviteExpiryDays: body.inviteExpiryDays };
  }
}
