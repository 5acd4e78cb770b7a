import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { SignInAttempt } from '../auth/rate-limits';
import { PortalRoute } from '../auth/route-decorators';
import { ApiCommonProblems, ApiInvalidInput, ApiProblem } from '../dto/problems';
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
  @ApiOkResponse({
    description: '{ firm: { name, slug, logoUrl, brandColor } | null, email, valid, reason, expiresAt }',
  })
  async preview(@Param('token') token: string): Promise<InvitePreview> {
    return this.invites.preview(token.slice(0, 512));
  }

  @Post('invites/accept')
  @HttpCode(201)
  @SignInAttempt()
  @ApiOperation({
    summary: "Accept an invite: set a password (12+ characters, not the email); the account's email is the invited one",
  })
  @ApiCreatedResponse({ description: '{ accessToken, refreshToken, expiresIn }' })
  @ApiInvalidInput()
  @ApiProblem(400, ErrorCode.InviteInvalid, 'the link is unknown, replaced by a resend, or already used')
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
  @ApiOkResponse({ description: '{ accessToken, refreshToken, expiresIn }' })
  @ApiInvalidInput()
  @ApiProblem(401, ErrorCode.Unauthenticated, 'email or password is incorrect')
  async login(@Body() body: PortalLoginDto): Promise<PortalTokens> {
    return this.issue(await this.invites.verifyPortalPassword(body));
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade a portal refresh token for a new pair',
    description: 'Each refresh token works once. Presenting a used one ends every session of its family.',
  })
  @ApiOkResponse({ description: '{ accessToken, refreshToken, expiresIn }' })
  @ApiInvalidInput()
  @ApiProblem(401, ErrorCode.Unauthenticated, 'the refresh token is unknown, expired, revoked or was used before')
  async refresh(@Body() body: RefreshDto): Promise<PortalTokens> {
    const { account, refreshToken } = await this.invites.rotatePortalSession(body.refreshToken);
    return this.pair(account, refreshToken);
  }

  @Get('me')
  @PortalRoute()
  @ApiOperation({ summary: 'My account, my details and the clients I belong to' })
  @ApiOkResponse({ description: '{ account, contact: { firstName, lastName, email, phone, clientIds } }' })
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
  @ApiOkResponse({ description: 'As GET /v1/portal/me' })
  @ApiInvalidInput()
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
