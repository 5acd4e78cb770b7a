import { Body, Controller, Get, HttpCode, HttpException, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  AcceptedRequestView,
  ChangePasswordDto,
  DomainError,
  ErrorCode,
  LoginDto,
  PasswordResetConfirmDto,
  RefreshDto,
  SignUpFirmDto,
  StaffPasswordResetDto,
  StaffSignInOutcome,
} from '@cp/contracts';
import { StaffPasswordGuard } from '../auth/guards';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { clearRefreshCookie, RefreshCookie, refreshCookie } from '../auth/refresh-cookie';
import { AccountRecovery, SignInAttempt } from '../auth/rate-limits';
import { requestOrigin } from '../auth/request-origin';
import { RecoveryRequestRoute, StaffRoute } from '../auth/route-decorators';
import { PasswordVerified } from '../auth/staff-password.strategy';
import {
  ApiCommonProblems,
  ApiInvalidInput,
  ApiProblem,
  ApiResetLinkProblems,
  ApiWrongCurrentPassword,
} from '../dto/problems';
import { RefreshTokenBody } from '../dto/sessions';
import { FirmSignUpModel, StaffIdentityModel, StaffTokensModel } from '../dto/views';
import { ContactsClient, StaffIdentity } from '../repositories/contacts.client';
import { FirmSignUp, StaffSessions, StaffTokens } from '../use-cases/staff-sessions.use-case';
import { sendSignInAnswer } from '../auth/device-cookie';
import { TwoStepChallengeModel } from '../dto/two-step';

@ApiTags('Staff sign-in')
@ApiCommonProblems()
@Controller()
export class StaffAuthController {
  constructor(
    private readonly sessions: StaffSessions,
    private readonly contacts: ContactsClient,
  ) {}

  @Post('firms')
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign up a firm and its owner, signed in' })
  @RefreshCookie('staff')
  @ApiCreatedResponse({ type: FirmSignUpModel })
  @ApiInvalidInput()
  @ApiProblem(409, ErrorCode.StaffEmailTaken, 'a staff account with this email exists')
  async signUp(@Body() body: SignUpFirmDto): Promise<FirmSignUp> {
    return this.sessions.signUpFirm(body);
  }

  @Post('auth/login')
  @HttpCode(200)
  @SignInAttempt()
  @UseGuards(StaffPasswordGuard)
  @RefreshCookie('staff')
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'Limited per client address and per email; an unknown email and a wrong password answer the same. When a second step is due (an authenticator is set up, or the firm requires one) the answer is 202 with a challenge for POST /v1/auth/two-step; a browser trusted for 30 days (its `cp_staff_device` cookie) skips it.',
  })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: StaffTokensModel })
  @ApiAcceptedResponse({ type: TwoStepChallengeModel, description: 'The password is right; a second step is due' })
  @ApiInvalidInput()
  @ApiProblem(401, ErrorCode.Unauthenticated, 'email or password is incorrect')
  async login(
    @PasswordVerified() outcome: StaffSignInOutcome,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    sendSignInAnswer('staff', await this.sessions.complete(outcome), req, res);
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade a refresh token for a new pair',
    description:
      'Each refresh token works once. Presenting a used one ends every session of its family. A browser sends no body: its refresh cookie is used.',
  })
  @RefreshCookie('staff', { readsCookie: true })
  @ApiBody({ type: RefreshTokenBody, required: false })
  @ApiOkResponse({ type: StaffTokensModel })
  @ApiInvalidInput()
  @ApiProblem(401, ErrorCode.Unauthenticated, 'the refresh token is unknown, expired, revoked or was used before')
  async refresh(@Body() body: RefreshDto): Promise<StaffTokens> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out: end the refresh-token family',
    description:
      'Every refresh token of this sign-in stops working; access tokens already issued run out on their own (minutes). A browser sends no body: its refresh cookie is used and cleared. An unknown token answers the same.',
  })
  @ApiBody({ type: RefreshTokenBody, required: false })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiInvalidInput()
  async logout(
    @Body() body: RefreshTokenBody,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const token = body.refreshToken ?? refreshCookie('staff', req);
    if (token) await this.contacts.endSession(token);
    clearRefreshCookie('staff', req, res);
  }

  @RecoveryRequestRoute(
    'auth/password-reset',
    'Email a password-reset link',
    'Always 202 with the same body, in the same time, whether an account has this email or not. When one does, it gets an email with a single-use link to /app/reset-password/{token}, valid 30 minutes; a newer link replaces older ones. Limited per client address and per email.',
  )
  async requestPasswordReset(@Body() body: StaffPasswordResetDto): Promise<AcceptedRequestView> {
    await this.contacts.requestPasswordReset(body.email);
    return { status: 'accepted' };
  }

  @Post('auth/password-reset/confirm')
  @HttpCode(204)
  @AccountRecovery()
  @ApiOperation({
    summary: 'Set a new password with the emailed link',
    description:
      'Uses the link up, sets the password (12+ characters, not the email), ends every session of the account and publishes PasswordChanged. Does not sign in: sign in with the new password (and the second step, when due).',
  })
  @ApiNoContentResponse({ description: 'Password set; every session ended' })
  @ApiResetLinkProblems()
  async confirmPasswordReset(@Body() body: PasswordResetConfirmDto, @Req() req: Request): Promise<void> {
    await this.contacts.confirmPasswordReset({ ...body, ...requestOrigin(req) });
  }

  @Post('auth/password')
  @HttpCode(200)
  @StaffRoute()
  @AccountRecovery()
  @RefreshCookie('staff')
  @ApiOperation({
    summary: 'Change my password (the current one required)',
    description:
      'Every session of the account ends, this one included; the answer is a new token pair for this browser or client, so the caller stays signed in. Publishes PasswordChanged.',
  })
  @ApiOkResponse({ type: StaffTokensModel })
  @ApiInvalidInput()
  @ApiWrongCurrentPassword()
  async changePassword(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: ChangePasswordDto,
    @Req() req: Request,
  ): Promise<StaffTokens> {
    const { refreshToken } = await this.contacts.changePassword(staff.scope, staff.userId, {
      ...body,
      ...requestOrigin(req),
    });
    const { user } = await this.contacts.staffUser(staff.scope, staff.userId);
    return this.sessions.pair(user, refreshToken);
  }

  @Get('me')
  @StaffRoute()
  @ApiOperation({ summary: 'The signed-in staff member and their firm' })
  @ApiOkResponse({ type: StaffIdentityModel })
  async me(@CurrentStaff() staff: StaffPrincipal): Promise<StaffIdentity> {
    try {
      return await this.contacts.staffUser(staff.scope, staff.userId);
    } catch (error) {
      // A valid token for a user who no longer exists: the session is over, not a missing resource.
      if (error instanceof HttpException && error.getStatus() === 404) {
        throw new DomainError(ErrorCode.Unauthenticated, 'This staff account no longer exists.');
      }
      throw error;
    }
  }
}
