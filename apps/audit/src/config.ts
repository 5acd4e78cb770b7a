import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DataServiceConfig, toInt } from '@cp/config';

export class AuditConfig extends DataServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3005;

  /** How long a record is kept: 7 years by default (a TTL index on its time, and a sweep). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36_500)
  AUDIT_RETENTION_DAYS = 2555;

  /** The pause between two passes of the retention sweep. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  AUDIT_SWEEP_MS = 3_600_000;
}
