import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ErrorCode,
  PortalAccountView,
  PortalTwoStepPreferenceDto,
  SecuritySettings,
  SecuritySettingsDto,
  StaffTwoStepStatus,
  TotpConfirmDto,
  TotpEnrolment,
  TwoStepDto,
  TwoStepEnrolDto,
} from '@cp/contracts';
import { sendSignInAnswer } from '../auth/device-cookie';
import { requestOrigin } from '../auth/request-origin';
import { CurrentContact, CurrentStaff, PortalPrincipal, StaffPrincipal } from '../auth/principals';
import { RefreshCookie } from '../auth/refresh-cookie';
import { SignInAttempt } from '../auth/rate-limits';
import { PortalRoute, StaffRoute } from '../auth/route-decorators';
import { ApiCommonProblems, ApiInvalidInput, ApiNotFound, ApiProblem } from '../dto/problems';
import {
  RecoveryCodesModel,
  SecuritySettingsModel,
  StaffTwoStepStatusModel,
  StaffTwoStepTokensModel,
  TotpEnrolmentModel,
} from '../dto/two-step';
import { PortalAccountModel, PortalTokensModel } from '../dto/views';
import { ContactsClient } from '../repositories/contacts.client';
import { InvitesClient } from '../repositories/invites.client';
import { ResourceIdPipe } from './resource-id.pipe';
import { PortalSessions } from '../use-cases/portal-sessions.use-case';
import { StaffSessions } from '../use-cases/staff-sessions.use-case';

const CODE_PROBLEMS = [ErrorCode.TwoStepCodeInvalid, ErrorCode.TwoStepTooManyAttempts, ErrorCode.TwoStepExpired];
const CODE_PROBLEM_TEXT =
  'TWO_STEP_CODE_INVALID: wrong code (`attemptsLeft` says how many remain); TWO_STEP_TOO_MANY_ATTEMPTS: five wrong codes locked this sign-in; TWO_STEP_EXPIRED: the challenge is unknown, used, or older than 10 minutes. After the last two, sign in with the password again.';

/** Two-step sign-in: the second step itself, staff authenticator enrolment, and the firm's policy. */
@ApiTags('Two-step sign-in')
@ApiCommonProblems()
@Controller()
export class TwoStepController {
  constructor(
    private readonly contacts: ContactsClient,
    private readonly invites: InvitesClient,
    private readonly staffSessions: StaffSessions,
    private readonly portalSessions: PortalSessions,
  ) {}

  @Post('auth/two-step')
  @HttpCode(200)
  @SignInAttempt()
  @RefreshCookie('staff')
  @ApiOperation({
    summary: 'Staff second step: the authenticator code (or a recovery code) for the challenge of a 202 sign-in',
    description:
      'With `trustDevice`, this browser skips the second step for 30 days (httpOnly cookie `cp_staff_device`, ended by a password change or an owner reset). After a `totp-enrol` challenge the answer also carries the ten recovery codes, shown once.',
  })
  @ApiOkResponse({ type: StaffTwoStepTokensModel })
  @ApiInvalidInput()
  @ApiProblem(401, CODE_PROBLEMS, CODE_PROBLEM_TEXT)
  async staffTwoStep(@Body() body: TwoStepDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const outcome = await this.contacts.twoStep({ ...body, ...requestOrigin(req) });
    sendSignInAnswer('staff', await this.staffSessions.complete(outcome), req, res);
  }

  @Post('auth/two-step/enrol')
  @HttpCode(200)
  @SignInAttempt()
  @ApiOperation({
    summary: 'Set up an authenticator while signing in (method `totp-enrol`): its QR code',
    description:
      'Then POST /v1/auth/two-step with the same challenge token and the first code the app shows: that confirms the authenticator, signs in and answers the recovery codes.',
  })
  @ApiOkResponse({ type: TotpEnrolmentModel })
  @ApiInvalidInput()
  @ApiProblem(401, [ErrorCode.TwoStepExpired, ErrorCode.TwoStepTooManyAttempts], 'the challenge is not usable')
  async enrolWhileSigningIn(@Body() body: TwoStepEnrolDto): Promise<TotpEnrolment> {
    return this.contacts.enrolWhileSigningIn(body.challengeToken);
  }

  @Get('auth/totp')
  @StaffRoute()
  @ApiOperation({ summary: 'Whether I use an authenticator app, and how many recovery codes are left' })
  @ApiOkResponse({ type: StaffTwoStepStatusModel })
  async totpStatus(@CurrentStaff() staff: StaffPrincipal): Promise<StaffTwoStepStatus> {
    return this.contacts.twoStepStatus(staff.scope, staff.userId);
  }

  @Post('auth/totp/enrol')
  @HttpCode(200)
  @StaffRoute()
  @ApiOperation({
    summary: 'Start setting up an authenticator app: the otpauth URI and its QR code',
    description: 'Nothing changes until POST /v1/auth/totp/confirm with a code from the app.',
  })
  @ApiOkResponse({ type: TotpEnrolmentModel })
  async enrol(@CurrentStaff() staff: StaffPrincipal): Promise<TotpEnrolment> {
    return this.contacts.enrolTotp(staff.scope, staff.userId);
  }

  @Post('auth/totp/confirm')
  @HttpCode(200)
  // Above StaffRoute: the 401 entry applied last is the one documented, and it names both codes.
  @ApiProblem(401, [ErrorCode.Unauthenticated, ErrorCode.TwoStepCodeInvalid], 'no valid token, or the code is wrong')
  @StaffRoute()
  @ApiOperation({
    summary: 'Confirm the authenticator with its current code: ten single-use recovery codes, shown once',
  })
  @ApiOkResponse({ type: RecoveryCodesModel })
  @ApiInvalidInput()
  async confirm(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: TotpConfirmDto,
    @Req() req: Request,
  ): Promise<{ recoveryCodes: string[] }> {
    return this.contacts.confirmTotp(staff.scope, staff.userId, { code: body.code, ...requestOrigin(req) });
  }

  @Post('users/:userId/two-step/reset')
  @HttpCode(204)
  @StaffRoute('owner')
  @ApiOperation({
    summary: "Reset a staff member's second step (a lost phone): they set up an authenticator again",
    description: 'Removes the authenticator and recovery codes and ends the browsers they trusted.',
  })
  @ApiNoContentResponse({ description: 'Reset' })
  @ApiNotFound('user')
  async reset(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('userId', new ResourceIdPipe('user')) userId: string,
    @Req() req: Request,
  ): Promise<void> {
    await this.contacts.resetTwoStep(staff.scope, staff.userId, userId, requestOrigin(req));
  }

  @Get('settings/security')
  @StaffRoute()
  @ApiOperation({ summary: "The firm's two-step sign-in policy for contacts and staff" })
  @ApiOkResponse({ type: SecuritySettingsModel })
  async security(@CurrentStaff() staff: StaffPrincipal): Promise<SecuritySettings> {
    return this.contacts.security(staff.scope);
  }

  @Put('settings/security')
  @StaffRoute('owner', 'admin')
  @ApiOperation({ summary: "Change the firm's two-step sign-in policy" })
  @ApiOkResponse({ type: SecuritySettingsModel })
  @ApiInvalidInput()
  async saveSecurity(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: SecuritySettingsDto,
  ): Promise<SecuritySettings> {
    return this.contacts.saveSecurity(staff.scope, body);
  }

  @Post('portal/auth/two-step')
  @HttpCode(200)
  @SignInAttempt()
  @RefreshCookie('portal')
  @ApiOperation({
    summary: 'Portal second step: the six-digit code emailed after the password',
    description:
      'Ten minutes, five tries, single use. With `trustDevice`, this browser skips the code for 30 days (httpOnly cookie `cp_portal_device`, ended when the password changes).',
  })
  @ApiOkResponse({ type: PortalTokensModel })
  @ApiInvalidInput()
  @ApiProblem(401, CODE_PROBLEMS, CODE_PROBLEM_TEXT)
  async portalTwoStep(@Body() body: TwoStepDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const outcome = await this.invites.portalTwoStep({ ...body, ...requestOrigin(req) });
    sendSignInAnswer('portal', await this.portalSessions.complete(outcome), req, res);
  }

  @Put('portal/me/two-step')
  @PortalRoute()
  @ApiOperation({
    summary: 'Ask for a code by email at each sign-in (counts when the firm leaves it to each contact)',
  })
  @ApiOkResponse({ type: PortalAccountModel })
  @ApiInvalidInput()
  async portalPreference(
    @CurrentContact() contact: PortalPrincipal,
    @Body() body: PortalTwoStepPreferenceDto,
  ): Promise<PortalAccountView> {
    return this.invites.setPortalTwoStep(contact.scope, contact.portalAccountId, body.enabled);
  }
}
