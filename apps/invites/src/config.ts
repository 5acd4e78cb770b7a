import { Transform } from 'class-transformer';
import { IsInt, IsUrl, Max, Min } from 'class-validator';
import { DataServiceConfig, toInt } from '@cp/config';

export class InvitesConfig extends DataServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3002;

  /** Where the portal web app runs; invite links are `${PORTAL_URL}/invite/{token}`. */
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PORTAL_URL must be an http(s) URL' })
  PORTAL_URL!: string;
}
