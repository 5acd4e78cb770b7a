import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  AcceptedRequestView,
  ChangePasswordCommand,
  LoginDto,
  RefreshDto,
  ResetConfirmCommand,
  SignUpFirmDto,
  StaffPasswordResetDto,
  StaffSessionGrant,
} from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { IsString, Length } from 'class-validator';
import { StaffAccounts } from '../use-cases/staff-accounts.use-case';
import { StaffPasswords } from '../use-cases/staff-passwords.use-case';
import { StaffSessions } from '../use-cases/staff-sessions.use-case';
import { toFirmView, toStaffUserView } from './views';

class StartSessionDto {
  @IsString()
  @Length(1, 64)
  userId!: string;
}

/** Internal: the gateway verifies passwords and keeps refresh tokens here; it signs access tokens. */
@Controller()
export class StaffAuthController {
  constructor(
    private readonly accounts: StaffAccounts,
    private readonly sessions: StaffSessions,
    private readonly passwords: StaffPasswords,
  ) {}

  /** Answers before the look-up: the same answer, in the same time, for any address. */
  @Post('auth/password-reset')
  @HttpCode(202)
  requestReset(@Body() body: StaffPasswordResetDto): AcceptedRequestView {
    this.passwords.requestReset(body.email);
    return { status: 'accepted' };
  }

  @Post('auth/password-reset/confirm')
  @HttpCode(204)
  async confirmReset(@Body() body: ResetConfirmCommand): Promise<void> {
    await this.passwords.confirmReset(body);
  }

  /** A new refresh token: every other session of the user ended. */
  @Post('firms/:firmId/users/:userId/password')
  @HttpCode(200)
  async changePassword(
    @Param('firmId') firmId: string,
    @Param('userId') userId: string,
    @Body() body: ChangePasswordCommand,
  ): Promise<{ refreshToken: string }> {
    return { refreshToken: await this.passwords.change(firmScope(firmId), userId, body) };
  }

  @Post('firms')
  @HttpCode(201)
  async signUp(@Body() body: SignUpFirmDto): Promise<StaffSessionGrant> {
    const { firm, user, refreshToken } = await this.accounts.signUpFirm(body);
    return { firm: toFirmView(firm), user: toStaffUserView(user), refreshToken };
  }

  @Post('auth/verify-password')
  @HttpCode(200)
  async verify(@Body() body: LoginDto) {
    const { user, firm } = await this.accounts.verifyPassword(body);
    return { user: toStaffUserView(user), firm: toFirmView(firm) };
  }

  @Post('sessions')
  @HttpCode(201)
  async start(@Body() body: StartSessionDto): Promise<{ refreshToken: string }> {
    return { refreshToken: await this.sessions.startFor(body.userId) };
  }

  @Post('sessions/rotate')
  @HttpCode(200)
  async rotate(@Body() body: RefreshDto): Promise<StaffSessionGrant> {
    const { user, firm, refreshToken } = await this.sessions.rotate(body.refreshToken);
    return { user: toStaffUserView(user), firm: toFirmView(firm), refreshToken };
  }

  @Post('sessions/end')
  @HttpCode(204)
  async end(@Body() body: RefreshDto): Promise<void> {
    await this.sessions.end(body.refreshToken);
  }
}
