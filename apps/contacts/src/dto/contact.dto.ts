import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class AddContactDto {
  @ApiProperty({ example: 'Ada' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  firstName!: string;

  @ApiProperty({ example: 'Lovelace' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  lastName!: string;

  @ApiPropertyOptional({ example: 'ada@example.com', description: 'Optional until the contact is invited.' })
  @IsOptional()
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+1 555 0100' })
  @IsOptional()
  @Transform(trim)
  @Matches(/^[+0-9 ()-]{3,32}$/, { message: 'phone must be digits, spaces, +, -, ( or )' })
  phone?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  clientIds?: string[];
}

export interface ContactView {
  id: string;
  clientIds: string[];
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  portal: { state: string; invitedAt: string | null; acceptedAt: string | null; lastLoginAt: string | null };
  createdAt: string;
  updatedAt: string;
}
