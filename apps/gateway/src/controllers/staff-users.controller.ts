import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AddStaffUserDto, ErrorCode, Page, StaffUserView } from '@cp/contracts';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { StaffRoute } from '../auth/route-decorators';
import { ApiCommonProblems, ApiInvalidInput, ApiNotFound, ApiProblem } from '../dto/problems';
import { StaffUserModel, StaffUserPage } from '../dto/views';
import { ContactsClient } from '../repositories/contacts.client';
import { ResourceIdPipe } from './resource-id.pipe';

@ApiTags('Staff users')
@ApiCommonProblems()
@Controller('users')
export class StaffUsersController {
  constructor(private readonly contacts: ContactsClient) {}

  @Post()
  @HttpCode(201)
  @StaffRoute('owner', 'admin')
  @ApiOperation({ summary: 'Add a staff user (admin or staff) to your firm' })
  @ApiCreatedResponse({ type: StaffUserModel })
  @ApiInvalidInput()
  @ApiProblem(409, ErrorCode.StaffEmailTaken, 'a staff account with this email exists')
  async add(@CurrentStaff() staff: StaffPrincipal, @Body() body: AddStaffUserDto): Promise<StaffUserView> {
    return this.contacts.addStaffUser(staff.scope, staff.userId, body);
  }

  @Get()
  @StaffRoute()
  @ApiOperation({ summary: "Your firm's staff users, oldest first (one page)" })
  @ApiOkResponse({ type: StaffUserPage })
  async list(@CurrentStaff() staff: StaffPrincipal): Promise<Page<StaffUserView>> {
    return this.contacts.listStaffUsers(staff.scope);
  }

  @Get(':userId')
  @StaffRoute()
  @ApiOperation({ summary: 'One staff user of your firm' })
  @ApiOkResponse({ type: StaffUserModel })
  @ApiNotFound('user')
  async get(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('userId', new ResourceIdPipe('user')) userId: string,
  ): Promise<StaffUserView> {
    return (await this.contacts.staffUser(staff.scope, userId)).user;
  }

  @Delete(':userId')
  @HttpCode(204)
  @StaffRoute('owner', 'admin')
  @ApiOperation({
    summary:
      'Remove a staff user from your firm: the account can no longer sign in (its access token runs out within its lifetime)',
  })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiNotFound('user')
  @ApiProblem(409, ErrorCode.Conflict, 'you cannot remove yourself, nor the last owner')
  async remove(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('userId', new ResourceIdPipe('user')) userId: string,
  ): Promise<void> {
    await this.contacts.removeStaffUser(staff.scope, staff.userId, userId);
  }
}
