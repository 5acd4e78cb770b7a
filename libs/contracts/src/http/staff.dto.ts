import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUrl, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { NormalizeEmail, Trim } from './transforms';

export const STAFF_ROLES = ['owner', 'admin', 'staff'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Passwords: long enough to resist guessing; bounded so hashing stays cheap to refuse. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export class SignUpFirmDto {
  @ApiProperty({ example: 'Lovelace & Co. CPAs' })
  @Trim()
  @IsString()
  @Length(2, 120)
  firmName!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @Trim()
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ example: 'ada@lovelace.example' })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, example: 'correct horse battery staple' })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX)
  password!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@lovelace.example' })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_MAX)
  password!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(20, 512)
  refreshToken!: string;
}

export class AddStaffUserDto {
  @ApiProperty({ example: 'Charles Babbage' })
  @Trim()
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ example: 'charles@lovelace.example' })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, description: 'Initial password, given to the new user by the admin.' })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX)
  password!: string;

  @ApiProperty({ enum: ['admin', 'staff'] })
  @IsIn(['admin', 'staff'])
  role!: Exclude<StaffRole, 'owner'>;
}

/** Changes the look of the firm's emails and portal pages; `null` removes a value, absent keeps it. */
export class FirmBrandingDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://lovelace.example/logo.png',
    description: 'An https URL of the logo (shown on top of every email); null removes it.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: true },
    { message: 'logoUrl must be an https URL' },
  )
  @MaxLength(2000)
  logoUrl?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '#1f4b99',
    description: 'The brand colour as #rrggbb; null removes it.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'brandColor must be a colour as #rrggbb' })
  brandColor?: string | null;
}

export interface FirmView {
  id: string;
  name: string;
  slug: string;
  /** https URL of the firm's logo, or null. */
  logoUrl: string | null;
  /** `#rrggbb`, or null. */
  brandColor: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StaffUserView {
  id: string;
  firmId: string;
  name: string;
  email: string;
  role: StaffRole;
  createdAt: string;
  updatedAt: string;
}

/** What the contacts service answers when a staff user is authenticated or a session rotated. */
export interface StaffSessionGrant {
  user: StaffUserView;
  firm: FirmView;
  refreshToken: string;
}
