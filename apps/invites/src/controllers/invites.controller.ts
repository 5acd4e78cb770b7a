import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  BulkInviteResult,
  DEFAULT_PAGE_SIZE,
  InviteView,
  IssueInvitesCommand,
  ListInvitesQueryDto,
  Page,
  ResendInviteCommand,
} from '@cp/contracts';
import { firmScope, toPage } from '@cp/platform';
import { InviteRepository } from '../repositories/invite.repository';
import { Invitations } from '../use-cases/invitations.use-case';
import { toInviteView } from './views';

/** Internal: staff-side invite commands, with the contact details the gateway looked up. */
@Controller('firms/:firmId/invites')
export class InvitesController {
  constructor(
    private readonly invitations: Invitations,
    private readonly invites: InviteRepository,
  ) {}

  /** One or many; answers one result per target, and the invites that were sent. */
  @Post()
  @HttpCode(200)
  async issue(
    @Param('firmId') firmId: string,
    @Body() body: IssueInvitesCommand,
  ): Promise<{ results: BulkInviteResult[]; invites: InviteView[] }> {
    const { results, invites } = await this.invitations.issue(firmScope(firmId), body);
    return { results, invites: invites.map(toInviteView) };
  }

  @Get()
  async list(@Param('firmId') firmId: string, @Query() query: ListInvitesQueryDto): Promise<Page<InviteView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const { status, clientId, contactId, cursor } = query;
    return toPage(
      await this.invites.page(firmScope(firmId), { status, clientId, contactId }, { cursor, limit }),
      limit,
      toInviteView,
    );
  }

  @Post(':inviteId/resend')
  @HttpCode(200)
  async resend(
    @Param('firmId') firmId: string,
    @Param('inviteId') inviteId: string,
    @Body() body: ResendInviteCommand,
  ): Promise<InviteView> {
    return toInviteView(await this.invitations.resend(firmScope(firmId), inviteId, body));
  }

  @Post(':inviteId/revoke')
  @HttpCode(200)
  async revoke(@Param('firmId') firmId: string, @Param('inviteId') inviteId: string): Promise<InviteView> {
    return toInviteView(await this.invitations.revoke(firmScope(firmId), inviteId));
  }
}
