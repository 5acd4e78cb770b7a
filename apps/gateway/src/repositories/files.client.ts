import { Injectable } from '@nestjs/common';
import {
  CreateDocumentRequestDto,
  DocumentRequestView,
  FileSettingsDto,
  FileSettingsView,
  FileView,
  Page,
  PageQueryDto,
  UpdateFileSharingDto,
} from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import type { Request, Response } from 'express';
import { ACTOR_HEADER } from './contacts.client';
import { ServiceHttp } from './service-http';

const id = encodeURIComponent;
const firm = (scope: FirmScope) => `/firms/${id(scope.firmId)}`;
const contact = (scope: FirmScope, contactId: string) => `${firm(scope)}/contacts/${id(contactId)}`;
const page = (query: PageQueryDto) => ({ query: { limit: query.limit, cursor: query.cursor } });

/**
 * The files service's internal API. Uploads and downloads stream through (`forward`); the rest
 * is JSON. Every call takes the caller's FirmScope; portal calls also the contact from the token.
 */
@Injectable()
export class FilesClient {
  constructor(private readonly http: ServiceHttp) {}

  // Firm staff

  async upload(scope: FirmScope, staffUserId: string, clientId: string, req: Request, res: Response): Promise<void> {
    return this.http.forward('files', 'POST', `${firm(scope)}/clients/${id(clientId)}/files`, req, res, {
      [ACTOR_HEADER]: staffUserId,
    });
  }

  async listOfClient(scope: FirmScope, clientId: string, query: PageQueryDto): Promise<Page<FileView>> {
    return this.http.json('files', 'GET', `${firm(scope)}/clients/${id(clientId)}/files`, page(query));
  }

  async get(scope: FirmScope, fileId: string): Promise<FileView> {
    return this.http.json('files', 'GET', `${firm(scope)}/files/${id(fileId)}`);
  }

  async share(scope: FirmScope, fileId: string, input: UpdateFileSharingDto): Promise<FileView> {
    return this.http.json('files', 'PATCH', `${firm(scope)}/files/${id(fileId)}`, { body: input });
  }

  async delete(scope: FirmScope, fileId: string): Promise<void> {
    return this.http.empty('files', 'DELETE', `${firm(scope)}/files/${id(fileId)}`);
  }

  async download(scope: FirmScope, fileId: string, req: Request, res: Response): Promise<void> {
    return this.http.forward('files', 'GET', `${firm(scope)}/files/${id(fileId)}/download`, req, res);
  }

  async createRequest(
    scope: FirmScope,
    staffUserId: string,
    clientId: string,
    input: CreateDocumentRequestDto,
  ): Promise<DocumentRequestView> {
    return this.http.json('files', 'POST', `${firm(scope)}/clients/${id(clientId)}/requests`, {
      body: input,
      headers: { [ACTOR_HEADER]: staffUserId },
    });
  }

  async listRequests(scope: FirmScope, clientId: string, query: PageQueryDto): Promise<Page<DocumentRequestView>> {
    return this.http.json('files', 'GET', `${firm(scope)}/clients/${id(clientId)}/requests`, page(query));
  }

  async settings(scope: FirmScope): Promise<FileSettingsView> {
    return this.http.json('files', 'GET', `${firm(scope)}/settings`);
  }

  async saveSettings(scope: FirmScope, input: FileSettingsDto): Promise<FileSettingsView> {
    return this.http.json('files', 'PUT', `${firm(scope)}/settings`, { body: input });
  }

  // Portal contacts

  async listForContact(scope: FirmScope, contactId: string, query: PageQueryDto): Promise<Page<FileView>> {
    return this.http.json('files', 'GET', `${contact(scope, contactId)}/files`, page(query));
  }

  async getForContact(scope: FirmScope, contactId: string, fileId: string): Promise<FileView> {
    return this.http.json('files', 'GET', `${contact(scope, contactId)}/files/${id(fileId)}`);
  }

  async uploadByContact(scope: FirmScope, contactId: string, req: Request, res: Response): Promise<void> {
    return this.http.forward('files', 'POST', `${contact(scope, contactId)}/files`, req, res);
  }

  async downloadForContact(
    scope: FirmScope,
    contactId: string,
    fileId: string,
    req: Request,
    res: Response,
  ): Promise<void> {
    return this.http.forward('files', 'GET', `${contact(scope, contactId)}/files/${id(fileId)}/download`, req, res);
  }

  async todos(scope: FirmScope, contactId: string, query: PageQueryDto): Promise<Page<DocumentRequestView>> {
    return this.http.json('files', 'GET', `${contact(scope, contactId)}/todos`, page(query));
  }
}
