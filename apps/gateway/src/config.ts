import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { BaseConfig, IsHttpUrl, toInt } from '@cp/config';

export class GatewayConfig extends BaseConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3000;

  @IsHttpUrl('CONTACTS_URL') CONTACTS_URL!: string;
  @IsHttpUrl('INVITES_URL') INVITES_URL!: string;
  @IsHttpUrl('NOTIFICATIONS_URL') NOTIFICATIONS_URL!: string;
  @IsHttpUrl('FILES_URL') FILES_URL!: string;

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
