import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CreateDocumentRequestDto,
  DocumentRequestView,
  ErrorCode,
  FileSettingsDto,
  FileSettingsView,
  FileView,
  Page,
  PageQueryDto,
  UpdateFileSharingDto,
} from '@cp/contracts';
import type { Request, Response } from 'express';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { StaffRoute } from '../auth/route-decorators';
import { ApiCommonProblems, ApiInvalidInput, ApiNotFound, ApiProblem } from '../dto/problems';
import { ApiDownload, ApiUpload } from '../dto/uploads';
import { DocumentRequestModel, DocumentRequestPage, FileModel, FilePage } from '../dto/views';
import { FilesClient } from '../repositories/files.client';
import { ResourceIdPipe } from './resource-id.pipe';

const NOT_INVITED =
  'some contacts have no portal account and no live invite (never invited, revoked, expired); `contactIds` names them, invite them first';
const NOT_CONTACT = 'no such client, or a contact is not one of this client (`contactIds` names them)';

/** The firm's side of file exchange: upload, share, list, download, delete; document requests. */
@ApiTags('Files')
@ApiCommonProblems()
@StaffRoute()
@Controller()
export class FilesController {
  constructor(private readonly files: FilesClient) {}

  @Post('clients/:clientId/files')
  @ApiOperation({
    summary: 'Upload a file to a client (streamed), optionally shared with some of its contacts at once',
  })
  @ApiUpload({ sharedWith: { type: 'string', description: 'JSON array of contact ids, e.g. ["c1","c2"]' } })
  @ApiCreatedResponse({ type: FileModel })
  @ApiInvalidInput()
  @ApiNotFound(NOT_CONTACT)
  @ApiProblem(409, ErrorCode.ContactNotInvited, NOT_INVITED)
  async upload(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('clientId', new ResourceIdPipe('client')) clientId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.files.upload(staff.scope, staff.userId, clientId, req, res);
  }

  @Get('clients/:clientId/files')
  @ApiOperation({ summary: "A client's files, oldest first: the firm's uploads and its contacts'" })
  @ApiOkResponse({ type: FilePage })
  @ApiInvalidInput()
  @ApiNotFound('client')
  async list(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('clientId', new ResourceIdPipe('client')) clientId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<FileView>> {
    return this.files.listOfClient(staff.scope, clientId, query);
  }

  @Get('files/:fileId')
  @ApiOperation({ summary: "One file's metadata, with its checksum and who it is shared with" })
  @ApiOkResponse({ type: FileModel })
  @ApiNotFound('file')
  async get(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('fileId', new ResourceIdPipe('file')) fileId: string,
  ): Promise<FileView> {
    return this.files.get(staff.scope, fileId);
  }

  @Patch('files/:fileId')
  @ApiOperation({ summary: 'Change who the file is shared with (the whole new list)' })
  @ApiOkResponse({ type: FileModel })
  @ApiInvalidInput()
  @ApiNotFound(`file, or ${NOT_CONTACT}`)
  @ApiProblem(409, ErrorCode.ContactNotInvited, NOT_INVITED)
  async share(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('fileId', new ResourceIdPipe('file')) fileId: string,
    @Body() body: UpdateFileSharingDto,
  ): Promise<FileView> {
    return this.files.share(staff.scope, fileId, body);
  }

  @Delete('files/:fileId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a file: its bytes and its metadata' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFound('file')
  async remove(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('fileId', new ResourceIdPipe('file')) fileId: string,
  ): Promise<void> {
    return this.files.delete(staff.scope, fileId);
  }

  @Get('files/:fileId/download')
  @ApiOperation({ summary: 'Download the bytes (streamed)' })
  @ApiDownload()
  @ApiNotFound('file')
  async download(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('fileId', new ResourceIdPipe('file')) fileId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.files.download(staff.scope, fileId, req, res);
  }

  @Post('clients/:clientId/requests')
  @HttpCode(201)
  @ApiOperation({ summary: "Ask contacts of a client for documents; it shows in each one's portal To-Do" })
  @ApiCreatedResponse({ type: DocumentRequestModel })
  @ApiInvalidInput()
  @ApiNotFound(NOT_CONTACT)
  @ApiProblem(409, ErrorCode.ContactNotInvited, NOT_INVITED)
  async createRequest(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('clientId', new ResourceIdPipe('client')) clientId: string,
    @Body() body: CreateDocumentRequestDto,
  ): Promise<DocumentRequestView> {
    return this.files.createRequest(staff.scope, staff.userId, clientId, body);
  }

  @Get('clients/:clientId/requests')
  @ApiOperation({ summary: "A client's document requests, oldest first, with status and the files that fulfil them" })
  @ApiOkResponse({ type: DocumentRequestPage })
  @ApiInvalidInput()
  @ApiNotFound('client')
  async listRequests(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('clientId', new ResourceIdPipe('client')) clientId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<DocumentRequestView>> {
    return this.files.listRequests(staff.scope, clientId, query);
  }

  @Get('settings/files')
  @ApiOperation({ summary: "The firm's file settings (the upload size limit, 5 GiB unless changed)" })
  @ApiOkResponse({ type: FileSettingsDto })
  async settings(@CurrentStaff() staff: StaffPrincipal): Promise<FileSettingsView> {
    return this.files.settings(staff.scope);
  }

  @Put('settings/files')
  @StaffRoute('owner', 'admin')
  @ApiOperation({ summary: 'Change the largest upload the firm accepts, in bytes' })
  @ApiOkResponse({ type: FileSettingsDto })
  @ApiInvalidInput()
  async saveSettings(@CurrentStaff() staff: StaffPrincipal, @Body() body: FileSettingsDto): Promise<FileSettingsView> {
    return this.files.saveSettings(staff.scope, body);
  }
}
