import { Body, Controller, Get, HttpCode, Logger, Param, Post } from '@nestjs/common';
import {
  AcceptedRequestView,
  AcceptInviteDto,
  ChangePasswordCommand,
  NewLinkRequestDto,
  PortalPasswordResetDto,
  ResetConfirmCommand,
  DomainError,
  ErrorCode,
  InvitePreview,
  PortalAccountView,
  PortalLoginDto,
  PortalSessionGrant,
  RefreshDto,
} from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { PortalAccountRepository } from '../repositories/portal-account.repository';
import { PortalAccess } from '../use-cases/portal-access.use-case';
import { PortalPasswords } from '../use-cases/portal-passwords.use-case';
import { PortalSessions } from '../use-cases/portal-sessions.use-case';
import { toPortalAccountView } from './views';

/** Internal: the contact-side routes; the gateway signs the portal tokens. */
@Controller()
export class PortalController {
  private readonly logger = new Logger(PortalController.name);

  constructor(
    private readonly access: PortalAccess,
    private readonly accounts: PortalAccountRepository,
    private readonly sessions: PortalSessions,
    private readonly passwords: PortalPasswords,
  ) {}

  /** Answers before looking at the token: valid, unknown, accepted or expired all look the same. */
  @Post('portal/invites/new-link-request')
  @HttpCode(202)
  requestNewLink(@Body() body: NewLinkRequestDto): AcceptedRequestView {
    // Deliberately detached, for the reason above; a failure is logged.
    void this.access
      .requestNewLink(body.token)
      .catch((error: unknown) => this.logger.warn({ err: String(error) }, 'new-link request could not be recorded'));
    return { status: 'accepted' };
  }

  @Post('portal/auth/password-reset')
  @HttpCode(202)
  requestReset(@Body() body: PortalPasswordResetDto): AcceptedRequestView {
    this.passwords.requestReset(body.firm, body.email);
    return { status: 'accepted' };
  }

  @Post('portal/auth/password-reset/confirm')
  @HttpCode(200)
  async confirmReset(@Body() body: ResetConfirmCommand): Promise<{ firm: string }> {
    return this.passwords.confirmReset(body);
  }

  /** A new refresh token: every other session of the account ended. */
  @Post('firms/:firmId/portal-accounts/:accountId/password')
  @HttpCode(200)
  async changePassword(
    @Param('firmId') firmId: string,
    @Param('accountId') accountId: string,
    @Body() body: ChangePasswordCommand,
  ): Promise<{ refreshToken: string }> {
    return { refreshToken: await this.passwords.change(firmScope(firmId), accountId, body) };
  }

  @Get('portal/invites/:token')
  async preview(@Param('token') token: string): Promise<InvitePreview> {
    return this.access.preview(token);
  }

  @Post('portal/invites/accept')
  @HttpCode(201)
  async accept(@Body() body: AcceptInviteDto): Promise<PortalAccountView> {
    const account = await this.access.accept(body);
    return toPortalAccountView(await this.access.recordLogin(account));
  }

  @Post('portal/auth/verify-password')
  @HttpCode(200)
  async login(@Body() body: PortalLoginDto): Promise<PortalAccountView> {
    return toPortalAccountView(await this.access.login(body));
  }

  @Get('firms/:firmId/portal-accounts/:accountId')
  async get(@Param('firmId') firmId: string, @Param('accountId') accountId: string): Promise<PortalAccountView> {
    const account = await this.accounts.findById(firmScope(firmId), accountId);
    if (!account) throw new DomainError(ErrorCode.NotFound, 'No such portal account.');
    return toPortalAccountView(account);
  }

  /** A new refresh-token family, after the gateway verified the password or an accept. */
  @Post('firms/:firmId/portal-accounts/:accountId/sessions')
  @HttpCode(201)
  async startSession(
    @Param('firmId') firmId: string,
    @Param('accountId') accountId: string,
  ): Promise<{ refreshToken: string }> {
    return { refreshToken: await this.sessions.start(firmScope(firmId), accountId) };
  }

  @Post('portal/sessions/rotate')
  @HttpCode(200)
  async rotate(@Body() body: RefreshDto): Promise<PortalSessionGrant> {
    const { account, refreshToken } = await this.sessions.rotate(body.refreshToken);
    return { account: toPortalAccountView(account), refreshToken };
  }

  @Post('portal/sessions/end')
  @HttpCode(204)
  async end(@Body() body: RefreshDto): Promise<void> {
    await this.sessions.end(body.refreshToken);
  }
}
