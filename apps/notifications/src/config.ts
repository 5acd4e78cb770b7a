import { Transform } from 'class-transformer';
import { IsEmail, IsInt, Matches, Max, Min } from 'class-validator';
import { DataServiceConfig, toInt } from '@cp/config';

export class NotificationsConfig extends DataServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3003;

  /** smtp://[user:pass@]host:port, or smtps:// for implicit TLS. */
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL!: string;

  @IsEmail({ allow_display_name: false }, { message: 'MAIL_FROM must be an email address' })
  MAIL_FROM!: string;
}
