import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Omittable, Trim } from './transforms';

/** Variables a template may use; anything else is refused when the template is saved. */
export const TEMPLATE_VARIABLES = [
  'contact.firstName',
  'contact.lastName',
  'firm.name',
  'inviter.name',
  'message',
  'link',
  'expiresAt',
] as const;

export class CreateTemplateDto {
  @ApiProperty({ example: 'Tax season onboarding' })
  @Trim()
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: '{{firm.name}}: your secure portal is ready' })
  @IsString()
  @Length(1, 200)
  subject!: string;

  @ApiProperty({
    example: 'Hello {{contact.firstName}},\n\n{{inviter.name}} invited you.\n\n{{message}}',
    description: `Plain text with variables: ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}; {{#if message}}…{{/if}} is allowed. Values are HTML-escaped.`,
  })
  @IsString()
  @Length(1, 10_000)
  body!: string;
}

/** A template not saved yet (the editor's live preview). */
export class PreviewTemplateDto {
  @ApiProperty({ example: '{{firm.name}}: your secure portal is ready' })
  @IsString()
  @Length(1, 200)
  subject!: string;

  @ApiProperty({ example: 'Hello {{contact.firstName}},\n\n{{message}}' })
  @IsString()
  @Length(1, 10_000)
  body!: string;
}

export class UpdateTemplateDto {
  @ApiPropertyOptional() @Omittable() @Trim() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional() @Omittable() @IsString() @Length(1, 200) subject?: string;
  @ApiPropertyOptional() @Omittable() @IsString() @Length(1, 10_000) body?: string;
}

export interface TemplateView {
  id: string;
  name: string;
  subject: string;
  body: string;
  /** Presets ship with the product and cannot be changed; firms copy them into their own. */
  preset: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export const DELIVERY_STATUSES = ['queued', 'sent', 'failed'] as const;
export type DeliveryStatusName = (typeof DELIVERY_STATUSES)[number];

/** What an email in the delivery log is about. */
export const DELIVERY_KINDS = [
  'invite',
  'reminder',
  'accepted-notice',
  'upload-notice',
  'password-reset',
  'new-link-notice',
  'two-step-code',
] as const;

export interface DeliveryView {
  id: string;
  kind: (typeof DELIVERY_KINDS)[number];
  inviteId: string | null;
  contactId: string | null;
  to: string;
  status: DeliveryStatusName;
  attempts: number;
  /** Attempts cut short by a crash of the service: the email may have gone out; it was resent with the same Message-ID. */
  interruptedAttempts: number;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}
