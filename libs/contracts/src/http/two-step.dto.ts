import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { LoginDto, StaffSessionGrant } from './staff.dto';
import { PortalAccountView, PortalLoginDto } from './invites.dto';
import { Trim } from './transforms';

export const PORTAL_TWO_STEP = ['required', 'optional', 'off'] as const;
export type PortalTwoStepPolicy = (typeof PORTAL_TWO_STEP)[number];
export const STAFF_TWO_STEP = ['required', 'optional'] as const;
export type StaffTwoStepPolicy = (typeof STAFF_TWO_STEP)[number];

export interface SecuritySettings {
  portalTwoStep: PortalTwoStepPolicy;
  staffTwoStep: StaffTwoStepPolicy;
}

/** What a firm signed up from now on gets. */
export const NEW_FIRM_SECURITY: SecuritySettings = { portalTwoStep: 'required', staffTwoStep: 'optional' };
/** A firm created before two-step sign-in existed (nothing stored) signs in as it always did. */
export const LEGACY_FIRM_SECURITY: SecuritySettings = { portalTwoStep: 'off', staffTwoStep: 'optional' };

export class SecuritySettingsDto implements SecuritySettings {
  @ApiProperty({
    enum: PORTAL_TWO_STEP,
    description:
      'Contacts: `required` (a code by email after the password), `optional` (each contact may turn it on in User Settings), `off`.',
  })
  @IsIn(PORTAL_TWO_STEP)
  portalTwoStep!: PortalTwoStepPolicy;

  @ApiProperty({
    enum: STAFF_TWO_STEP,
    description:
      'Staff: `required` (everyone signs in with an authenticator app; staff without one enrol at their next sign-in) or `optional`.',
  })
  @IsIn(STAFF_TWO_STEP)
  staffTwoStep!: StaffTwoStepPolicy;
}

/** A six-digit code, or a recovery code (`xxxxx-xxxxx`) for staff. */
const CODE = /^(\d{6}|[a-z2-9]{5}-[a-z2-9]{5})$/;

export class TwoStepDto {
  @ApiProperty({ description: 'From the 202 answer of the password sign-in' })
  @IsString()
  @Length(20, 512)
  challengeToken!: string;

  @ApiProperty({ example: '123456', description: 'The six-digit code, or (staff) one of the recovery codes' })
  @Trim()
  @IsString()
  @Matches(CODE, { message: 'code must be six digits or a recovery code' })
  code!: string;

  @ApiPropertyOptional({ description: 'Skip the second step in this browser for 30 days (a revocable cookie)' })
  @IsOptional()
  @IsBoolean()
  trustDevice?: boolean;
}

export class TwoStepEnrolDto {
  @ApiProperty({ description: 'The challenge token of a sign-in that answered method `totp-enrol`' })
  @IsString()
  @Length(20, 512)
  challengeToken!: string;
}

export class TotpConfirmDto {
  @ApiProperty({ example: '123456', description: 'The code the authenticator app shows now' })
  @Trim()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code!: string;
}

export class PortalTwoStepPreferenceDto {
  @ApiProperty({ description: 'Ask for a code by email at each sign-in (when the firm leaves it to the contact)' })
  @IsBoolean()
  enabled!: boolean;
}

export class StaffSignInDto extends LoginDto {
  @IsOptional() @IsString() @MaxLength(64) ip?: string | null;
  @IsOptional() @IsString() @MaxLength(512) userAgent?: string | null;
  @IsOptional() @IsString() @MaxLength(512) deviceToken?: string;
}

export class PortalSignInDto extends PortalLoginDto {
  /** Empty for an unknown firm slug: the sign-in then fails like a wrong password. */
  @IsString() @Length(0, 64) firmId!: string;
  @IsString() @Length(0, 200) firmName!: string;
  @IsIn(PORTAL_TWO_STEP) portalTwoStep!: PortalTwoStepPolicy;
  @IsOptional() @IsString() @MaxLength(64) ip?: string | null;
  @IsOptional() @IsString() @MaxLength(512) userAgent?: string | null;
  @IsOptional() @IsString() @MaxLength(512) deviceToken?: string;
}

export class TwoStepInternalDto extends TwoStepDto {
  @IsOptional() @IsString() @MaxLength(64) ip?: string | null;
  @IsOptional() @IsString() @MaxLength(512) userAgent?: string | null;
}

/** What a password sign-in leads to: signed in, or a second step to pass. */
export type ChallengeMethod = 'email' | 'totp' | 'totp-enrol';
export interface TwoStepChallengeView {
  challengeToken: string;
  method: ChallengeMethod;
}

/** Internal answers of the services to a password or second-step sign-in. */
export type StaffSignInOutcome =
  | ({ status: 'signed-in'; deviceToken?: string; recoveryCodes?: string[] } & StaffSessionGrant)
  | ({ status: 'challenge' } & TwoStepChallengeView);

export type PortalSignInOutcome =
  | { status: 'signed-in'; account: PortalAccountView; refreshToken: string; deviceToken?: string }
  | ({ status: 'challenge' } & TwoStepChallengeView);

export interface TotpEnrolment {
  /** otpauth://totp/… for authenticator apps. */
  otpauthUri: string;
  /** The same URI as a QR code (PNG data URL). */
  qrCode: string;
}

export interface StaffTwoStepStatus {
  enrolled: boolean;
  recoveryCodesLeft: number;
}
