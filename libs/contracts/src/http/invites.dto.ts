import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from './paging.dto';
import { FirmBrandingDto, PASSWORD_MAX, PASSWORD_MIN } from './staff.dto';
import { NormalizeEmail, Omittable, Trim } from './transforms';

export const INVITE_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];
export const BULK_INVITE_MAX = 1000;

export class SendInviteDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Personal message, shown escaped in the email.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  message?: string;

  @ApiPropertyOptional({ description: 'Email template id; the preset onboarding template when absent.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  templateId?: string;
}

export class BulkInviteDto extends SendInviteDto {
  @ApiProperty({ type: [String], maxItems: BULK_INVITE_MAX })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_INVITE_MAX)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  contactIds!: string[];
}

export class ListInvitesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INVITE_STATUSES })
  @IsOptional()
  @IsIn(INVITE_STATUSES)
  status?: InviteStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  clientId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  contactId?: string;
}

export class AcceptInviteDto {
  @ApiProperty()
  @IsString()
  @Length(20, 512)
  token!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, description: 'At least 12 characters, not the email.' })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX)
  password!: string;
}

export class PortalLoginDto {
  @ApiProperty({ description: "The firm's slug", example: 'lovelace-co-cpas' })
  @Trim()
  @Matches(/^[a-z0-9-]{2,60}$/, { message: 'firm must be a firm slug' })
  firm!: string;

  @ApiProperty()
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_MAX)
  password!: string;
}

/** Internal: what the gateway tells the invites service about the contact and the sender. */
export class InviteTargetDto {
  @IsString() @Length(1, 64) contactId!: string;
  @IsString() @Length(1, 64) clientId!: string;
  @NormalizeEmail() @IsEmail() email!: string;
  @IsString() @Length(1, 100) contactFirstName!: string;
  @IsString() @Length(1, 100) contactLastName!: string;
}

/** Internal: who sends an invite, and how the firm's emails look at the time. */
export class InviteSenderCommand {
  @IsString() @Length(1, 64) inviterId!: string;
  @IsString() @Length(1, 120) inviterName!: string;
  /** Where the staff notices about this contact go (accepted, uploaded a file). */
  @IsOptional() @NormalizeEmail() @IsEmail() inviterEmail?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => FirmBrandingDto)
  firmBranding?: FirmBrandingDto;
}

export class IssueInvitesCommand extends InviteSenderCommand {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_INVITE_MAX)
  @ValidateNested({ each: true })
  @Type(() => InviteTargetDto)
  targets!: InviteTargetDto[];

  @IsString() @Length(1, 120) firmName!: string;
  @IsString() @Length(1, 60) firmSlug!: string;

  @IsOptional() @IsString() @MaxLength(2000) message?: string;
  @IsOptional() @IsString() @MaxLength(64) templateId?: string;
}

export class ResendInviteCommand extends InviteSenderCommand {}

export interface InviteView {
  id: string;
  contactId: string;
  clientId: string;
  email: string;
  status: InviteStatus;
  message: string | null;
  templateId: string | null;
  sentBy: string;
  sendCount: number;
  lastSentAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
  /** The latest email of this invite, once the notifications service has reported it. */
  lastEmail: { status: 'sent' | 'failed'; at: string; reason: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export type BulkInviteResult =
  | { contactId: string; status: 'sent'; inviteId: string }
  | { contactId: string; status: 'skipped'; code: string; detail: string };

export interface InvitePreview {
  /** Null when the link matches no invite at all. */
  firm: { name: string; slug: string; logoUrl: string | null; brandColor: string | null } | null;
  email: string | null;
  valid: boolean;
  /** Why not valid: accepted (INVITE_INVALID), revoked, expired, or unknown. */
  reason: 'accepted' | 'revoked' | 'expired' | 'unknown' | null;
  expiresAt: string | null;
}

export interface PortalAccountView {
  id: string;
  firmId: string;
  firmSlug: string;
  contactId: string;
  email: string;
  createdAt: string;
  lastLoginAt: string | null;
  /** The contact's own choice of a code by email at sign-in (see the firm's portalTwoStep). */
  twoStepEnabled: boolean;
}

/** A rotated portal session: the account, and the next refresh token of its family. */
export interface PortalSessionGrant {
  account: PortalAccountView;
  refreshToken: string;
}

export class InviteSettingsDto {
  @ApiProperty({ minimum: 1, maximum: 90, description: 'Days an invite link stays valid (default 30).' })
  @IsInt()
  @Min(1)
  @Max(90)
  inviteExpiryDays!: number;
}

export interface InviteSettingsView {
  inviteExpiryDays: number;
}

export class UpdatePortalProfileDto {
  @ApiPropertyOptional() @Omittable() @Trim() @IsString() @Length(1, 100) firstName?: string;
  @ApiPropertyOptional() @Omittable() @Trim() @IsString() @Length(1, 100) lastName?: string;
  @ApiPropertyOptional({ example: '+1 555 0100' })
  @IsOptional()
  @Trim()
  @Matches(/^[+0-9 ()-]{3,32}$/, { message: 'phone must be 3-32 digits, spaces, +, -, ( or )' })
  phone?: string;
}
