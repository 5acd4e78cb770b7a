import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from './paging.dto';
import { DELIVERY_STATUSES, DeliveryStatusName } from './templates.dto';

export class ListNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) contactId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) inviteId?: string;
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: DeliveryStatusName;
}
