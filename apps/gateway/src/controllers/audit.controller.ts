import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditPageView, AuditQueryDto } from '@cp/contracts';
import type { Request, Response } from 'express';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { StaffRoute } from '../auth/route-decorators';
import { ApiCommonProblems, ApiInvalidInput } from '../dto/problems';
import { AuditClient } from '../repositories/audit.client';

/** The firm's audit trail: who did what to which object, when, from where. Owners and admins only. */
@ApiTags('Audit')
@ApiCommonProblems()
@StaffRoute('owner', 'admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditClient) {}

  @Get()
  @ApiOperation({
    summary:
      "The firm's audit trail, newest first: sign-ins, passwords, second steps, invites, files, requests, settings, templates, staff",
  })
  @ApiOkResponse({ type: AuditPageView })
  @ApiInvalidInput()
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: AuditQueryDto): Promise<AuditPageView> {
    return this.audit.page(staff.scope, query);
  }

  @Get('export')
  @ApiOperation({
    summary:
      'The audit trail as CSV (same filters, no paging), streamed; cells that a spreadsheet would run as a formula are prefixed with a quote',
  })
  @ApiProduces('text/csv')
  @ApiResponse({
    status: 200,
    description: 'text/csv with a header line, newest first; Content-Disposition: attachment',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiInvalidInput()
  async export(
    @CurrentStaff() staff: StaffPrincipal,
    @Query() query: AuditQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.audit.export(staff.scope, query, req, res);
  }
}
