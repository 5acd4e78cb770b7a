import { Injectable } from '@nestjs/common';
import { ReminderSettingsDto, ReminderSettingsView } from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import { NotificationsConfig } from '../config';
import { ReminderRepository } from '../repositories/reminder.repository';
import { ReminderSettings, ReminderSettingsRepository } from '../repositories/reminder-settings.repository';

const ascending = (days: number[]) => [...new Set(days)].sort((a, b) => a - b);

/** Each firm's reminder schedule: on or off, and after which days; the service default otherwise. */
@Injectable()
export class ReminderSchedule {
  private readonly defaults: ReminderSettingsView;

  constructor(
    private readonly settings: ReminderSettingsRepository,
    private readonly reminders: ReminderRepository,
    config: NotificationsConfig,
  ) {
    const days = ascending(config.INVITE_REMINDER_DAYS.split(',').filter(Boolean).map(Number));
    this.defaults = { enabled: days.length > 0, days: days.length > 0 ? days : [3, 7] };
  }

  async get(scope: FirmScope): Promise<ReminderSettingsView> {
    return this.view(await this.settings.find(scope));
  }

  async save(scope: FirmScope, input: ReminderSettingsDto): Promise<ReminderSettingsView> {
    const days = ascending(input.days);
    await this.settings.save(scope, input.enabled, days);
    // Pending invites follow the new schedule from the next sweep on.
    await this.reminders.recheckFirm(scope.firmId);
    return { enabled: input.enabled, days };
  }

  /** The schedules of these firms, by firm id. */
  async of(firmIds: string[]): Promise<Map<string, ReminderSettingsView>> {
    const saved = new Map((await this.settings.findMany([...new Set(firmIds)])).map((s) => [s._id, s]));
    return new Map(firmIds.map((id) => [id, this.view(saved.get(id) ?? null)]));
  }

  private view(saved: ReminderSettings | null): ReminderSettingsView {
    return saved ? { enabled: saved.enabled, days: ascending(saved.days) } : this.defaults;
  }
}
