import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FirmBrandingDto, FirmView } from '@cp/contracts';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { StaffRoute } from '../auth/route-decorators';
import { ApiCommonProblems, ApiInvalidInput } from '../dto/problems';
import { FirmModel } from '../dto/views';
import { ContactsClient } from '../repositories/contacts.client';

@ApiTags('Firm')
@ApiCommonProblems()
@Controller('firm')
export class FirmController {
  constructor(private readonly contacts: ContactsClient) {}

  @Get()
  @StaffRoute()
  @ApiOperation({ summary: 'Your firm: name, slug and branding' })
  @ApiOkResponse({ type: FirmModel })
  async get(@CurrentStaff() staff: StaffPrincipal): Promise<FirmView> {
    return this.contacts.getFirm(staff.scope);
  }

  @Patch('branding')
  @StaffRoute('owner', 'admin')
  @ApiOperation({
    summary:
      'Set the logo (https URL) and brand colour (#rrggbb) of every email and the portal invite page; null removes one',
  })
  @ApiOkResponse({ type: FirmModel })
  @ApiInvalidInput()
  async setBranding(@CurrentStaff() staff: StaffPrincipal, @Body() body: FirmBrandingDto): Promise<FirmView> {
    return this.contacts.setFirmBranding(staff.scope, body);
  }
}
