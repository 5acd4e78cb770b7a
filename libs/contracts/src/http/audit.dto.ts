import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from './paging.dto';

/** Every action the audit trail records (one record per event). */
export const AUDIT_ACTIONS = [
  'sign-in.succeeded',
  'sign-in.failed',
  'password.reset',
  'password.changed',
  'two-step.enrolled',
  'two-step.reset',
  'two-step.recovery-codes-renewed',
  'invite.sent',
  'invite.resent',
  'invite.revoked',
  'invite.accepted',
  'invite.expired',
  'invite.new-link-requested',
  'file.uploaded',
  'file.shared',
  'file.unshared',
  'file.downloaded',
  'file.deleted',
  'request.created',
  'request.fulfilled',
  'settings.changed',
  'email-template.created',
  'email-template.updated',
  'email-template.deleted',
  'staff.added',
  'staff.removed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTOR_KINDS = ['staff', 'contact', 'anonymous', 'system'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** A calendar date or date-time (ISO 8601's week and ordinal forms are refused: Date cannot read them). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const dateMessage = (field: string) => ({
  message: `${field} must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z`,
});
const idMessage = (field: string) => ({ message: `${field} must be an id (letters, digits, -, _, ., :)` });

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'The id of the staff user or contact who acted.' })
  @IsOptional()
  @IsString()
  @Matches(ID, idMessage('actor'))
  actor?: string;

  @ApiPropertyOptional({ description: 'Records about this contact (as actor or object).' })
  @IsOptional()
  @IsString()
  @Matches(ID, idMessage('contactId'))
  contactId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ID, idMessage('clientId')) clientId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ID, idMessage('fileId')) fileId?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'date-time', description: 'Records at or after this time.' })
  @IsOptional()
  @IsISO8601({ strict: true }, dateMessage('from'))
  @Matches(DATE_TIME, dateMessage('from'))
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Records before this time.' })
  @IsOptional()
  @IsISO8601({ strict: true }, dateMessage('to'))
  @Matches(DATE_TIME, dateMessage('to'))
  @MaxLength(40)
  to?: string;
}

export class AuditActorView {
  @ApiProperty({ type: String, nullable: true }) id!: string | null;
  @ApiProperty({ enum: AUDIT_ACTOR_KINDS }) kind!: AuditActorKind;
  @ApiProperty({ type: String, nullable: true, description: 'When known from the events.' }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
}

export class AuditObjectsView {
  @ApiPropertyOptional() clientId?: string;
  @ApiPropertyOptional({ type: [String] }) contactIds?: string[];
  @ApiPropertyOptional() fileId?: string;
  @ApiPropertyOptional() inviteId?: string;
  @ApiPropertyOptional() requestId?: string;
  @ApiPropertyOptional() templateId?: string;
  @ApiPropertyOptional() userId?: string;
}

export class AuditRecordView {
  @ApiProperty({ description: 'The id of the event the record was made from.' }) id!: string;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: AuditAction;
  @ApiProperty({ format: 'date-time', description: 'When it happened.' }) at!: string;
  @ApiProperty({ type: AuditActorView }) actor!: AuditActorView;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: AuditObjectsView }) objects!: AuditObjectsView;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What else the event said (never a secret).',
  })
  details!: Record<string, unknown>;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditRecordView] }) items!: AuditRecordView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
