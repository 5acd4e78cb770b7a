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
import { DomainError, ErrorCode, LoginDto, RefreshDto, SignUpFirmDto, StaffSignInOutcome } from '@cp/contracts';
import { StaffPasswordGuard } from '../auth/guards';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { clearRefreshCookie, RefreshCookie, refreshCookie } from '../auth/refresh-cookie';
import { SignInAttempt } from '../auth/rate-limits';
import { StaffRoute } from '../auth/route-decorators';
import { PasswordVerified } from '../auth/staff-password.strategy';
import { ApiCommonProblems, ApiInvalidInput, ApiProblem } from '../dto/problems';
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
