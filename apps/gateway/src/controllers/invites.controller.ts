import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  BulkInviteDto,
  BulkInviteResult,
  ErrorCode,
  InviteSettingsDto,
  InviteSettingsView,
  InviteView,
  ListInvitesQueryDto,
  Page,
  SendInviteDto,
} from '@cp/contracts';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { StaffRoute } from '../auth/route-decorators';
import { BulkInviteAnswerModel, InviteModel, InvitePage } from '../dto/views';
import { ApiCommonProblems, ApiInvalidInput, ApiNotFound, ApiProblem } from '../dto/problems';
import { ContactsClient } from '../repositories/contacts.client';
import { InvitesClient } from '../repositories/invites.client';
import { inviteSender, SendInvites } from '../use-cases/send-invites.use-case';
import { ResourceIdPipe } from './resource-id.pipe';

@ApiTags('Invites')
@ApiCommonProblems()
@StaffRoute()
@Controller()
export class InvitesController {
  constructor(
    private readonly send: SendInvites,
    private readonly invites: InvitesClient,
    private readonly contacts: ContactsClient,
  ) {}

  @Post('contacts/:contactId/invites')
  @HttpCode(201)
  @ApiOperation({ summary: 'Invite a contact to the portal (a pending invite is sent again with a new link)' })
  @ApiCreatedResponse({ type: InviteModel, description: 'The invite; the email is on its way' })
  @ApiInvalidInput()
  @ApiNotFound('contact or template')
  @ApiProblem(422, ErrorCode.ContactEmailRequired, 'the contact has no email yet')
  @ApiProblem(409, ErrorCode.InviteAlreadyAccepted, 'the contact already has a portal account')
  async sendOne(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('contactId', new ResourceIdPipe('contact')) contactId: string,
    @Body() body: SendInviteDto,
  ): Promise<InviteView> {
    return this.send.one(staff, contactId, body);
  }

  @Post('clients/:clientId/invites')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Invite many contacts of a client (up to 1,000): one result per contact, sent or skipped with its code',
  })
  @ApiOkResponse({ type: BulkInviteAnswerModel })
  @ApiInvalidInput()
  @ApiNotFound('client or template')
  async sendMany(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('clientId', new ResourceIdPipe('client')) clientId: string,
    @Body() body: BulkInviteDto,
  ): Promise<{ results: BulkInviteResult[] }> {
    return this.send.bulk(staff, clientId, body);
  }

  @Get('invites')
  @ApiOperation({ summary: "The firm's invites, filtered by status, client or contact" })
  @ApiOkResponse({ type: InvitePage, description: 'A page of invites, each with its latest email outcome' })
  @ApiInvalidInput()
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: ListInvitesQueryDto): Promise<Page<InviteView>> {
    return this.invites.list(staff.scope, query);
  }

  @Post('invites/:inviteId/resend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a new link; the old one stops working' })
  @ApiOkResponse({ type: InviteModel })
  @ApiNotFound('invite')
  @ApiProblem(409, ErrorCode.InviteAlreadyAccepted, 'the invite was accepted')
  async resend(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('inviteId', new ResourceIdPipe('invite')) inviteId: string,
  ): Promise<InviteView> {
    const sender = inviteSender(await this.contacts.staffUser(staff.scope, staff.userId));
    return this.invites.resend(staff.scope, inviteId, sender);
  }

  @Get('settings/invites')
  @ApiOperation({ summary: "The firm's invite settings (how long a link stays valid)" })
  @ApiOkResponse({ type: InviteSettingsDto })
  async settings(@CurrentStaff() staff: StaffPrincipal): Promise<InviteSettingsView> {
    return this.invites.settings(staff.scope);
  }

  @Put('settings/invites')
  @StaffRoute('owner', 'admin')
  @ApiOperation({ summary: 'Change how long new invite links stay valid: 1 to 90 days' })
  @ApiOkResponse({ type: InviteSettingsDto })
  @ApiInvalidInput()
  async saveSettings(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: InviteSettingsDto,
  ): Promise<InviteSettingsView> {
    return this.invites.saveSettings(staff.scope, body);
  }

  @Post('invites/:inviteId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw an invite: its link stops working' })
  @ApiOkResponse({ type: InviteModel, description: 'The invite, status revoked' })
  @ApiNotFound('invite')
  @ApiProblem(409, ErrorCode.InviteAlreadyAccepted, 'the invite was accepted')
  async revoke(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('inviteId', new ResourceIdPipe('invite')) inviteId: string,
  ): Promise<InviteView> {
    return this.invites.revoke(staff.scope, inviteId);
  }
}
