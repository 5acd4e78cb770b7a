import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DataServiceConfig, toInt } from '@cp/config';

export class ContactsConfig extends DataServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3001;
}
