import { Body, Controller, Get, HttpCode, HttpException, Param, Patch, Post, Req, Res } from '@nestjs/common';
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
  AcceptInviteDto,
  ChangePasswordDto,
  ErrorCode,
  NewLinkRequestDto,
  PasswordResetConfirmDto,
  PortalPasswordResetDto,
  InvitePreview,
  PortalAccountView,
  PortalLoginDto,
  PortalTwoStepPolicy,
  RefreshDto,
  UpdatePortalProfileDto,
} from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { deviceCookie, sendSignInAnswer } from '../auth/device-cookie';
import { CurrentContact, PortalPrincipal } from '../auth/principals';
import { clearRefreshCookie, RefreshCookie, refreshCookie } from '../auth/refresh-cookie';
import { AccountRecovery, SignInAttempt } from '../auth/rate-limits';
import { requestOrigin } from '../auth/request-origin';
import { PortalRoute, RecoveryRequestRoute } from '../auth/route-decorators';
import {
  InvitePreviewModel,
  PortalMeModel,
  PortalResetDoneModel,
  PortalTokensModel,
} from '../dto/views';
import {
  ApiCommonProblems,
  ApiInvalidInput,
  ApiProblem,
  ApiResetLinkProblems,
  ApiWrongCurrentPassword,
} from '../dto/problems';
import { RefreshTokenBody } from '../dto/sessions';
import { ContactsClient } from '../repositories/contacts.client';
import { InvitesClient } from '../repositories/invites.client';
import { TwoStepChallengeModel } from '../dto/two-step';
import { PortalSessions, PortalTokens } from '../use-cases/portal-sessions.use-case';

/** The contact side: follow the invite link, create the account, sign in, see oneself. */
@ApiTags('Portal')
@ApiCommonProblems()
@Controller('portal')
export class PortalController {
  constructor(
    private readonly invites: InvitesClient,
    private readonly contacts: ContactsClient,
    private readonly sessions: PortalSessions,
  ) {}

  @Get('invites/:token')
  @ApiOperation({
    summary:
      'Preview an invite link: firm name and branding, invited email, valid. Never uses the link up (mail scanners open links).',
  })
  @ApiOkResponse({ type: InvitePreviewModel })
  async preview(@Param('token') token: string): Promise<InvitePreview> {
    return this.invites.preview(token.slice(0, 512));
  }

  @Post('invites/accept')
  @HttpCode(201)
  @SignInAttempt()
  @ApiOperation({
    summary: "Accept an invite: set a password (12+ characters, not the email); the account's email is the invited one",
  })
  @RefreshCookie('portal')
  @ApiCreatedResponse({ type: PortalTokensModel })
  // One 400 entry with both codes: two entries for one status would keep only the last.
  @ApiInvalidInput({
    codes: [ErrorCode.InviteInvalid],
    description: 'INVITE_INVALID: the link is unknown, replaced by a resend, or already used',
  })
  @ApiProblem(410, ErrorCode.InviteExpired, 'the invite expired')
  @ApiProblem(410, ErrorCode.InviteRevoked, 'the firm withdrew the invite')
  async accept(@Body() body: AcceptInviteDto): Promise<PortalTokens> {
    return this.issue(await this.invites.accept(body));
  }

  @Post('auth/login')
  @HttpCode(200)
  @SignInAttempt()
  @ApiOperation({
    summary:
      "Sign in to a firm's portal: firm slug, email, password. An unknown account and a wrong password answer the same.",
    description:
      "When the firm requires a second step (or leaves it to the contact, who turned it on), the answer is 202 with a challenge and a six-digit code goes to the contact's email: POST it to /v1/portal/auth/two-step. A browser trusted for 30 days (its `cp_portal_device` cookie) skips the code.",
  })
  @RefreshCookie('portal')
  @ApiOkResponse({ type: PortalTokensModel })
  @ApiAcceptedResponse({ type: TwoStepChallengeModel, description: 'The password is right; a code was emailed' })
  @ApiInvalidInput()
  @ApiProblem(401, ErrorCode.Unauthenticated, 'email or password is incorrect')
  async login(@Body() body: PortalLoginDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const policy = await this.firmPolicy(body.firm);
    const outcome = policy
      ? await this.invites.portalSignIn({
          ...body,
          ...policy,
          ...requestOrigin(req),
          deviceToken: deviceCookie('portal', req),
        })
      : // An unknown firm answers like a wrong password, after the same work.
        await this.invites.portalSignIn({
          ...body,
          firmId: '',
          firmName: '',
          portalTwoStep: 'off',
          ...requestOrigin(req),
        });
    sendSignInAnswer('portal', await this.sessions.complete(outcome), req, res);
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade a portal refresh token for a new pair',
    description:
      'Each refresh token works once. Presenting a used one ends every session of its family. A browser sends no body: its refresh cookie is used.',
  })
  @RefreshCookie('portal', { readsCookie: true })
  @ApiBody({ type: RefreshTokenBody, required: false })
  @ApiOkResponse({ type: PortalTokensModel })
  @ApiInvalidInput()
  @ApiProblem(401, ErrorCode.Unauthenticated, 'the refresh token is unknown, expired, revoked or was used before')
  async refresh(@Body() body: RefreshDto): Promise<PortalTokens> {
    const { account, refreshToken } = await this.invites.rotatePortalSession(body.refreshToken);
    return this.sessions.pair(account, refreshToken);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out of the portal: end the refresh-token family',
    description:
      'Every refresh token of this sign-in stops working. A browser sends no body: its refresh cookie is used and cleared. An unknown token answers the same.',
  })
  @ApiBody({ type: RefreshTokenBody, required: false })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiInvalidInput()
  async logout(
    @Body() body: RefreshTokenBody,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const token = body.refreshToken ?? refreshCookie('portal', req);
    if (token) await this.invites.endPortalSession(token);
    clearRefreshCookie('portal', req, res);
  }

  @RecoveryRequestRoute(
    'invites/new-link-request',
    'Ask the firm for a new link, from an expired or revoked one',
    "Always 202 with the same body, whatever the token (valid, unknown, accepted, expired, revoked). For an expired or revoked invite, the staff member who sent it (or the firm's owners when that person is gone) is emailed, at most once per invite per 24 hours, and NewLinkRequested is published; nothing is sent to the contact and no invite is created. Limited per client address and per token.",
  )
  async requestNewLink(@Body() body: NewLinkRequestDto): Promise<AcceptedRequestView> {
    await this.invites.requestNewLink(body.token);
    return { status: 'accepted' };
  }

  @RecoveryRequestRoute(
    'auth/password-reset',
    "Email a password-reset link for a firm's portal account",
    'Always 202 with the same body, in the same time, whether the firm has a portal account with this email or not. When it does, an email with a single-use link to {PORTAL_URL}/reset-password/{token}, valid 30 minutes; a newer link replaces older ones. Limited per client address and per firm and email.',
  )
  async requestPasswordReset(@Body() body: PortalPasswordResetDto): Promise<AcceptedRequestView> {
    await this.invites.requestPortalPasswordReset(body);
    return { status: 'accepted' };
  }

  @Post('auth/password-reset/confirm')
  @HttpCode(200)
  @AccountRecovery()
  @ApiOperation({
    summary: 'Set a new portal password with the emailed link',
    description:
      "Uses the link up, sets the password (12+ characters, not the email), ends every session of the account and publishes PasswordChanged. Does not sign in; answers the firm's slug for its sign-in page.",
  })
  @ApiOkResponse({ type: PortalResetDoneModel })
  @ApiResetLinkProblems()
  async confirmPasswordReset(@Body() body: PasswordResetConfirmDto, @Req() req: Request): Promise<{ firm: string }> {
    return this.invites.confirmPortalPasswordReset({ ...body, ...requestOrigin(req) });
  }

  @Post('auth/password')
  @HttpCode(200)
  @PortalRoute()
  @AccountRecovery()
  @RefreshCookie('portal')
  @ApiOperation({
    summary: 'Change my portal password (the current one required)',
    description:
      'Every session of the account ends, this one included; the answer is a new token pair for this browser or client, so the caller stays signed in. Publishes PasswordChanged.',
  })
  @ApiOkResponse({ type: PortalTokensModel })
  @ApiInvalidInput()
  @ApiWrongCurrentPassword()
  async changePassword(
    @CurrentContact() contact: PortalPrincipal,
    @Body() body: ChangePasswordDto,
    @Req() req: Request,
  ): Promise<PortalTokens> {
    const { refreshToken } = await this.invites.changePortalPassword(contact.scope, contact.portalAccountId, {
      ...body,
      ...requestOrigin(req),
    });
    return this.sessions.pair(
      { id: contact.portalAccountId, contactId: contact.contactId, firmId: contact.scope.firmId },
      refreshToken,
    );
  }

  @Get('me')
  @PortalRoute()
  @ApiOperation({ summary: 'My account, my details and the clients I belong to' })
  @ApiOkResponse({ type: PortalMeModel })
  @ApiProblem(404, ErrorCode.NotFound, 'the firm removed this contact')
  async me(@CurrentContact() contact: PortalPrincipal) {
    const [account, details] = await Promise.all([
      this.invites.account(contact.scope, contact.portalAccountId),
      this.contacts.getContact(contact.scope, contact.contactId),
    ]);
    const { firstName, lastName, email, phone, clientIds } = details;
    return { account, contact: { firstName, lastName, email, phone, clientIds } };
  }

  @Patch('me')
  @PortalRoute()
  @ApiOperation({ summary: 'Update my name or phone (the email is the one I was invited with)' })
  @ApiOkResponse({ type: PortalMeModel })
  @ApiInvalidInput()
  @ApiProblem(404, ErrorCode.NotFound, 'the firm removed this contact')
  async updateMe(@CurrentContact() contact: PortalPrincipal, @Body() body: UpdatePortalProfileDto) {
    await this.contacts.updateContact(contact.scope, contact.contactId, body);
    return this.me(contact);
  }

  /** After an accept (which proves the email, so no code): a new refresh-token family. */
  private async issue(account: PortalAccountView): Promise<PortalTokens> {
    const scope = firmScope(account.firmId);
    const { refreshToken } = await this.invites.startPortalSession(scope, account.id);
    return this.sessions.pair(account, refreshToken);
  }

  /** The firm a sign-in names, with its portal policy; null for an unknown slug. */
  private async firmPolicy(
    slug: string,
  ): Promise<{ firmId: string; firmName: string; portalTwoStep: PortalTwoStepPolicy } | null> {
    try {
      const policy = await this.contacts.portalPolicy(slug);
      return { ...policy, portalTwoStep: policy.portalTwoStep as PortalTwoStepPolicy };
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 404) return null;
      throw error;
    }
  }
}
