import { Transform } from 'class-transformer';
import { IsInt, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { BaseConfig, toInt } from '@cp/config';

const serviceUrl = (name: string) =>
  IsUrl({ require_tld: false, require_protocol: true }, { message: `${name} must be an http(s) URL` });

export class GatewayConfig extends BaseConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3000;

  @serviceUrl('CONTACTS_URL') CONTACTS_URL!: string;
  @serviceUrl('INVITES_URL') INVITES_URL!: string;
  @serviceUrl('NOTIFICATIONS_URL') NOTIFICATIONS_URL!: string;
  @serviceUrl('FILES_URL') FILES_URL!: string;

  /** Signs staff and portal access tokens (HS256). 32+ random characters. */
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET!: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(3600)
  @Max(90 * 24 * 3600)
  REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
}
