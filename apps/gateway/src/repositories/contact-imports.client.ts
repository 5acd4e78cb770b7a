import { Injectable } from '@nestjs/common';
import { ImportRowsQueryDto, ImportView } from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import type { Request, Response } from 'express';
import { ACTOR_HEADER } from './contacts.client';
import { ServiceHttp } from './service-http';

const firm = (scope: FirmScope) => `/firms/${encodeURIComponent(scope.firmId)}`;

/** The contacts service's imports: the CSV streams through, the job is read as JSON. */
@Injectable()
export class ContactImportsClient {
  constructor(private readonly http: ServiceHttp) {}

  async start(scope: FirmScope, staffUserId: string, req: Request, res: Response): Promise<void> {
    return this.http.forward('contacts', 'POST', `${firm(scope)}/imports`, req, res, { [ACTOR_HEADER]: staffUserId });
  }

  async get(scope: FirmScope, importId: string, query: ImportRowsQueryDto): Promise<ImportView> {
    return this.http.json('contacts', 'GET', `${firm(scope)}/imports/${encodeURIComponent(importId)}`, {
      query: { limit: query.limit, cursor: query.cursor },
    });
  }
}
