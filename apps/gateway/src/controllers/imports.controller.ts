import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, ImportRowsQueryDto, ImportView } from '@cp/contracts';
import type { Request, Response } from 'express';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { StaffRoute } from '../auth/route-decorators';
import { ImportModel } from '../dto/import-views';
import { ApiCommonProblems, ApiInvalidInput, ApiNotFound, ApiProblem } from '../dto/problems';
import { ContactImportsClient } from '../repositories/contact-imports.client';
import { ResourceIdPipe } from './resource-id.pipe';

/** Clients and contacts from a CSV file, imported in the background with a result per row. */
@ApiTags('Clients')
@ApiCommonProblems()
@StaffRoute()
@Controller()
export class ImportsController {
  constructor(private readonly imports: ContactImportsClient) {}

  @Post('clients/import')
  @ApiOperation({
    summary:
      'Import clients and contacts from a CSV file (streamed); answers at once, the import runs in the background',
    description:
      `UTF-8 (with or without BOM), comma- or semicolon-separated, a header row, at most ${IMPORT_MAX_ROWS} rows. ` +
      'Columns by header, loosely: Client (Client name, Company, Household), Kind (individual | business), ' +
      'First name, Last name (or Name), Email (E-mail, Email address), Phone. Idempotent: a client is matched ' +
      'by name (case-insensitive), a contact by email (without one: by client and name), so importing a file ' +
      'again creates nothing new. Follow progress and per-row results at GET /v1/imports/{importId}.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description: 'multipart/form-data: the CSV in part `file`; the field `invite` before or after it.',
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        invite: {
          type: 'string',
          enum: ['true', 'false'],
          description: '`true` invites every imported contact with an email (as a bulk invite does); default false',
        },
        file: { type: 'string', format: 'binary', description: 'The CSV file.' },
      },
    },
  })
  @ApiAcceptedResponse({ type: ImportModel, description: 'The import is stored and running; `id` names it.' })
  @ApiProblem(
    400,
    ErrorCode.ValidationFailed,
    'not multipart, no `file` part, an unknown field, `invite` not true/false, a CSV that cannot be read, ' +
      'no header of names or emails, or no rows; `errors` names the field',
  )
  @ApiProblem(
    413,
    ErrorCode.FileTooLarge,
    `more than ${IMPORT_MAX_ROWS} rows or ${IMPORT_MAX_BYTES / 1024 / 1024} MiB (\`maxRows\`, \`maxBytes\`); nothing was imported`,
  )
  async start(@CurrentStaff() staff: StaffPrincipal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.imports.start(staff.scope, staff.userId, req, res);
  }

  @Get('imports/:importId')
  @ApiOperation({ summary: "An import's status, counts and a page of its per-row results (`limit`, `cursor`)" })
  @ApiOkResponse({ type: ImportModel })
  @ApiInvalidInput()
  @ApiNotFound('import')
  async get(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('importId', new ResourceIdPipe('import')) importId: string,
    @Query() query: ImportRowsQueryDto,
  ): Promise<ImportView> {
    return this.imports.get(staff.scope, importId, query);
  }
}
