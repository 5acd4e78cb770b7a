import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from './paging.dto';
import { DELIVERY_STATUSES, DeliveryStatusName } from './templates.dto';

export class ListNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) contactId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) inviteId?: string;
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: DeliveryStatusName;
}

export const REMINDER_DAYS_MAX = 60;

export class ReminderSettingsDto {
  @ApiProperty({ description: 'Whether pending invites get reminder emails at all.' })
  @IsBoolean()
  enabled!: boolean;

  @ApiProperty({
    type: [Number],
    example: [3, 7],
    description: `Days after an invite was (last) sent when a reminder goes out if it is still pending: 1 to 5 different days, each 1-${REMINDER_DAYS_MAX}.`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(REMINDER_DAYS_MAX, { each: true })
  days!: number[];
}

export interface ReminderSettingsView {
  enabled: boolean;
  /** Ascending. */
  days: number[];
}
