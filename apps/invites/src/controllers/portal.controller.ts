import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  AcceptInviteDto,
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
import { PortalSessions } from '../use-cases/portal-sessions.use-case';
import { toPortalAccountView } from './views';

/** Internal: the contact-side routes; the gateway signs the portal tokens. */
@Controller()
export class PortalController {
  constructor(
    private readonly access: PortalAccess,
    private readonly accounts: PortalAccountRepository,
    private readonly sessions: PortalSessions,
  ) {}

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
