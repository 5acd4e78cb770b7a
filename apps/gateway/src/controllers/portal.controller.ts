import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  AcceptInviteDto,
  ErrorCode,
  InvitePreview,
  PortalAccountView,
  PortalLoginDto,
  RefreshDto,
  UpdatePortalProfileDto,
} from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { AccessTokens } from '../auth/access-tokens';
import { CurrentContact, PortalPrincipal } from '../auth/principals';
import { clearRefreshCookie, RefreshCookie, refreshCookie } from '../auth/refresh-cookie';
import { SignInAttempt } from '../auth/rate-limits';
import { PortalRoute } from '../auth/route-decorators';
import { InvitePreviewModel, PortalMeModel, PortalTokensModel } from '../dto/views';
import { ApiCommonProblems, ApiInvalidInput, ApiProblem } from '../dto/problems';
import { RefreshTokenBody } from '../dto/sessions';
import { ContactsClient } from '../repositories/contacts.client';
import { InvitesClient } from '../repositories/invites.client';

export interface PortalTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** The contact side: follow the invite link, create the account, sign in, see oneself. */
@ApiTags('Portal')
@ApiCommonProblems()
@Controller('portal')
export class PortalController {
  constructor(
    private readonly invites: InvitesClient,
    private readonly contacts: ContactsClient,
    private readonly tokens: AccessTokens,
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
  })
  @RefreshCookie('portal')
  @ApiOkResponse({ type: PortalTokensModel })
  @ApiInvalidInput()
  @ApiProblem(401, ErrorCode.Unauthenticated, 'email or password is incorrect')
  async login(@Body() body: PortalLoginDto): Promise<PortalTokens> {
    return this.issue(await this.invites.verifyPortalPassword(body));
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
    return this.pair(account, refreshToken);
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

  /** After an accept or a verified password: a new refresh-token family. */
  private async issue(account: PortalAccountView): Promise<PortalTokens> {
    const scope = firmScope(account.firmId);
    const { refreshToken } = await this.invites.startPortalSession(scope, account.id);
    return this.pair(account, refreshToken);
  }

  private async pair(account: PortalAccountView, refreshToken: string): Promise<PortalTokens> {
    const claims = { contactId: account.contactId, firmId: account.firmId };
    return {
      accessToken: await this.tokens.forPortal(account.id, claims),
      refreshToken,
      expiresIn: this.tokens.ttlSeconds,
    };
  }
}
