import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN } from './staff.dto';
import { NormalizeEmail, Trim } from './transforms';

/** Password reset, password change and new-link requests: staff and portal accounts alike. */
export class StaffPasswordResetDto {
  @ApiProperty({ example: 'ada@lovelace.example' })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class PortalPasswordResetDto extends StaffPasswordResetDto {
  @ApiProperty({ description: "The firm's slug", example: 'lovelace-co-cpas' })
  @Trim()
  @Matches(/^[a-z0-9-]{2,60}$/, { message: 'firm must be a firm slug' })
  firm!: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The token from the emailed link (the last path segment).' })
  @IsString()
  @Length(20, 512)
  token!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, description: 'The new password: at least 12 characters, not the email.' })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_MAX)
  currentPassword!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, description: 'At least 12 characters, not the email.' })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX)
  newPassword!: string;
}

export class NewLinkRequestDto {
  @ApiProperty({ description: 'The token of the expired or revoked invite link.' })
  @IsString()
  @Length(1, 512)
  token!: string;
}

/** Internal: where a password change came from, for PasswordChanged (never a secret). */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** Internal (gateway → service): a reset confirmation with where it came from. */
export class ResetConfirmCommand extends PasswordResetConfirmDto {
  @IsOptional() @IsString() @MaxLength(100) ip?: string | null;
  @IsOptional() @IsString() @MaxLength(512) userAgent?: string | null;
}

/** Internal (gateway → service): a signed-in password change with where it came from. */
export class ChangePasswordCommand extends ChangePasswordDto {
  @IsOptional() @IsString() @MaxLength(100) ip?: string | null;
  @IsOptional() @IsString() @MaxLength(512) userAgent?: string | null;
}

/** What every password-reset and new-link request answers, whatever the account or token. */
export interface AcceptedRequestView {
  status: 'accepted';
}
