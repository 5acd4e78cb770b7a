import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ReminderSettingsDto, ReminderSettingsView } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { ReminderSchedule } from '../use-cases/reminder-schedule.use-case';

@Controller('firms/:firmId/settings/reminders')
export class ReminderSettingsController {
  constructor(private readonly schedules: ReminderSchedule) {}

  @Get()
  async get(@Param('firmId') firmId: string): Promise<ReminderSettingsView> {
    return this.schedules.get(firmScope(firmId));
  }

  @Put()
  async put(@Param('firmId') firmId: string, @Body() body: ReminderSettingsDto): Promise<ReminderSettingsView> {
    return this.schedules.save(firmScope(firmId), body);
  }
}
