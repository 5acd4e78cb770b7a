import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { PortalStatus } from '../portal-status';
import { NormalizeEmail, Omittable, Trim } from './transforms';

export const PHONE = /^[+0-9 ()-]{3,32}$/;

export class AddContactDto {
  @ApiProperty({ example: 'Ada' })
  @Trim()
  @IsString()
  @Length(1, 100)
  firstName!: string;

  @ApiProperty({ example: 'Lovelace' })
  @Trim()
  @IsString()
  @Length(1, 100)
  lastName!: string;

  @ApiPropertyOptional({ example: 'ada@example.com', description: 'Optional until the contact is invited.' })
  @IsOptional()
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+1 555 0100' })
  @IsOptional()
  @Trim()
  @Matches(PHONE, { message: 'phone must be 3-32 digits, spaces, +, -, ( or )' })
  phone?: string;
}

export class UpdateContactDto {
  @ApiPropertyOptional()
  @Omittable()
  @Trim()
  @IsString()
  @Length(1, 100)
  firstName?: string;

  @ApiPropertyOptional()
  @Omittable()
  @Trim()
  @IsString()
  @Length(1, 100)
  lastName?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Add the missing email, change it, or null to remove it.',
  })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @Trim()
  @Matches(PHONE, { message: 'phone must be 3-32 digits, spaces, +, -, ( or )' })
  phone?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'Every client of this firm the contact belongs to.' })
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  clientIds?: string[];
}

/** Internal: many contacts of one firm in one call (a bulk invite's targets). */
export class LookupContactsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  ids!: string[];
}

export interface ContactView {
  id: string;
  clientIds: string[];
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  portal: PortalStatus;
  /** What became of the latest invite email: "invited" with a failed email shows here. */
  inviteEmail: { status: 'sent' | 'failed'; at: string; reason: string | null } | null;
  createdAt: string;
  updatedAt: string;
}
