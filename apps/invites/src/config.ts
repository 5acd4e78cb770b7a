import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DataServiceConfig, IsHttpUrl, toInt } from '@cp/config';

export class InvitesConfig extends DataServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3002;

  /** Where the portal web app runs; invite links are `${PORTAL_URL}/invite/{token}`. */
  @IsHttpUrl('PORTAL_URL')
  PORTAL_URL!: string;
}
