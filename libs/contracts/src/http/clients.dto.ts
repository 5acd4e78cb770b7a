import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { PageQueryDto } from './paging.dto';
import { Trim } from './transforms';

export const CLIENT_KINDS = ['individual', 'business'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export class CreateClientDto {
  @ApiProperty({ example: 'The Babbage Household' })
  @Trim()
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: CLIENT_KINDS })
  @IsIn(CLIENT_KINDS)
  kind!: ClientKind;
}

// Each field may be left out; null is refused like any other wrong value.
export class UpdateClientDto extends PartialType(CreateClientDto, { skipNullProperties: false }) {}

export class ListClientsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive match anywhere in the name' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  search?: string;
}

export interface ClientView {
  id: string;
  name: string;
  kind: ClientKind;
  createdAt: string;
  updatedAt: string;
}
