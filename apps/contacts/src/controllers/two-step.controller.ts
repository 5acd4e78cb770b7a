import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  SecuritySettings,
  SecuritySettingsDto,
  StaffSignInDto,
  StaffSignInOutcome,
  StaffTwoStepStatus,
  TotpConfirmDto,
  TotpEnrolment,
  TwoStepEnrolDto,
  TwoStepInternalDto,
} from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { StaffSignIn } from '../use-cases/staff-sign-in.use-case';

class OriginDto {
  @IsOptional() @IsString() @MaxLength(64) ip?: string | null;
  @IsOptional() @IsString() @MaxLength(512) userAgent?: string | null;
}

class InternalTotpConfirmDto extends TotpConfirmDto {
  @IsOptional() @IsString() @MaxLength(64) ip?: string | null;
  @IsOptional() @IsString() @MaxLength(512) userAgent?: string | null;
}

const origin = (body: OriginDto) => ({ ip: body.ip ?? null, userAgent: body.userAgent ?? null });

/** Internal: staff two-step sign-in, TOTP enrolment, and the firm's security settings. */
@Controller()
export class TwoStepController {
  constructor(private readonly twoStep: StaffSignIn) {}

  @Post('auth/sign-in')
  @HttpCode(200)
  async signIn(@Body() body: StaffSignInDto): Promise<StaffSignInOutcome> {
    return this.twoStep.signIn(body);
  }

  @Post('auth/two-step')
  @HttpCode(200)
  async secondStep(@Body() body: TwoStepInternalDto): Promise<StaffSignInOutcome> {
    return this.twoStep.twoStep(body);
  }

  @Post('auth/two-step/enrol')
  @HttpCode(200)
  async enrolWhileSigningIn(@Body() body: TwoStepEnrolDto): Promise<TotpEnrolment> {
    return this.twoStep.enrolForChallenge(body.challengeToken);
  }

  @Get('portal-firms/:slug')
  async portalPolicy(@Param('slug') slug: string) {
    return this.twoStep.portalPolicy(slug);
  }

  @Get('firms/:firmId/settings/security')
  async security(@Param('firmId') firmId: string): Promise<SecuritySettings> {
    return this.twoStep.getSecurity(firmId);
  }

  @Put('firms/:firmId/settings/security')
  async saveSecurity(@Param('firmId') firmId: string, @Body() body: SecuritySettingsDto): Promise<SecuritySettings> {
    return this.twoStep.setSecurity(firmId, body);
  }

  @Get('firms/:firmId/users/:userId/two-step')
  async status(@Param('firmId') firmId: string, @Param('userId') userId: string): Promise<StaffTwoStepStatus> {
    return this.twoStep.status(firmScope(firmId), userId);
  }

  @Post('firms/:firmId/users/:userId/totp/enrol')
  @HttpCode(200)
  async enrol(@Param('firmId') firmId: string, @Param('userId') userId: string): Promise<TotpEnrolment> {
    return this.twoStep.enrol(firmScope(firmId), userId);
  }

  @Post('firms/:firmId/users/:userId/totp/confirm')
  @HttpCode(200)
  async confirm(
    @Param('firmId') firmId: string,
    @Param('userId') userId: string,
    @Body() body: InternalTotpConfirmDto,
  ): Promise<{ recoveryCodes: string[] }> {
    return this.twoStep.confirm(firmScope(firmId), userId, body.code, origin(body));
  }

  /** The gateway names the owner making the reset in x-actor-user-id. */
  @Post('firms/:firmId/users/:userId/two-step/reset')
  @HttpCode(204)
  async reset(
    @Param('firmId') firmId: string,
    @Param('userId') userId: string,
    @Headers('x-actor-user-id') actorId: string | undefined,
    @Body() body: OriginDto,
  ): Promise<void> {
    await this.twoStep.reset(firmScope(firmId), userId, actorId ?? '', origin(body));
  }
}
