import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { DomainError, ErrorCode, FirmBrandingDto, FirmView } from '@cp/contracts';
import { FirmRepository } from '../repositories/firm.repository';
import { toFirmView } from './views';

const noSuchFirm = () => new DomainError(ErrorCode.NotFound, 'No such firm.');

/** The firm itself: its name, slug and branding. */
@Controller('firms/:firmId')
export class FirmsController {
  constructor(private readonly firms: FirmRepository) {}

  @Get()
  async get(@Param('firmId') firmId: string): Promise<FirmView> {
    const firm = await this.firms.findById(firmId);
    if (!firm) throw noSuchFirm();
    return toFirmView(firm);
  }

  @Patch('branding')
  async setBranding(@Param('firmId') firmId: string, @Body() body: FirmBrandingDto): Promise<FirmView> {
    const firm = await this.firms.setBranding(firmId, { logoUrl: body.logoUrl, brandColor: body.brandColor });
    if (!firm) throw noSuchFirm();
    return toFirmView(firm);
  }
}
