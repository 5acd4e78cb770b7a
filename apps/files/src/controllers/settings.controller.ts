import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { FileSettingsDto, FileSettingsView } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { FileSettingsRepository } from '../repositories/file-settings.repository';
import { UploadFile } from '../use-cases/upload-file.use-case';

@Controller('firms/:firmId/settings')
export class SettingsController {
  constructor(
    private readonly settings: FileSettingsRepository,
    private readonly upload: UploadFile,
  ) {}

  @Get()
  async get(@Param('firmId') firmId: string): Promise<FileSettingsView> {
    return { maxUploadBytes: await this.upload.maxUploadBytes(firmScope(firmId)) };
  }

  @Put()
  async put(@Param('firmId') firmId: string, @Body() body: FileSettingsDto): Promise<FileSettingsView> {
    await this.settings.save(firmScope(firmId), body.maxUploadBytes);
    return { maxUploadBytes: body.maxUploadBytes };
  }
}
