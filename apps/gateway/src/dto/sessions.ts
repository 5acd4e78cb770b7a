import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** Refresh and sign out: the refresh token in the body, or (a browser) none and its cookie is used. */
export class RefreshTokenBody {
  @ApiPropertyOptional({ description: 'Leave out in a browser: the refresh cookie is used.' })
  @IsOptional()
  @IsString()
  @Length(20, 512)
  refreshToken?: string;
}
