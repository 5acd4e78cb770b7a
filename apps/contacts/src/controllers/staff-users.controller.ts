import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { AddStaffUserDto, DomainError, ErrorCode, Page, StaffUserView } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { FirmRepository } from '../repositories/firm.repository';
import { StaffUserRepository } from '../repositories/staff-user.repository';
import { StaffAccounts } from '../use-cases/staff-accounts.use-case';
import { toFirmView, toStaffUserView } from './views';

@Controller('firms/:firmId/users')
export class StaffUsersController {
  constructor(
    private readonly accounts: StaffAccounts,
    private readonly users: StaffUserRepository,
    private readonly firms: FirmRepository,
  ) {}

  @Get()
  async list(@Param('firmId') firmId: string): Promise<Page<StaffUserView>> {
    return { items: (await this.users.list(firmScope(firmId))).map(toStaffUserView), nextCursor: null };
  }

  @Get(':userId')
  async get(@Param('firmId') firmId: string, @Param('userId') userId: string) {
    const user = await this.users.findById(firmScope(firmId), userId);
    const firm = user && (await this.firms.findById(firmId));
    if (!user || !firm) throw new DomainError(ErrorCode.NotFound, 'No such user.');
    return { user: toStaffUserView(user), firm: toFirmView(firm) };
  }

  /** The gateway names the signed-in caller in x-actor-user-id; only owners and admins may add. */
  @Post()
  @HttpCode(201)
  async add(
    @Param('firmId') firmId: string,
    @Headers('x-actor-user-id') actorId: string | undefined,
    @Body() body: AddStaffUserDto,
  ): Promise<StaffUserView> {
    return toStaffUserView(await this.accounts.addUser(firmScope(firmId), actorId ?? '', body));
  }

  @Delete(':userId')
  @HttpCode(204)
  async remove(
    @Param('firmId') firmId: string,
    @Param('userId') userId: string,
    @Headers('x-actor-user-id') actorId: string | undefined,
  ): Promise<void> {
    await this.accounts.removeUser(firmScope(firmId), actorId ?? '', userId);
  }
}
