import { Injectable } from '@nestjs/common';
import { AuditPageView, AuditQueryDto } from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import type { Request, Response } from 'express';
import { ServiceHttp } from './service-http';

const path = (scope: FirmScope) => `/firms/${encodeURIComponent(scope.firmId)}/audit`;

/** The query as validated here, passed on as is (the audit service validates it again). */
function query(input: AuditQueryDto): Record<string, string | number | undefined> {
  const { limit, cursor, actor, contactId, clientId, fileId, action, from, to } = input;
  return { limit, cursor, actor, contactId, clientId, fileId, action, from, to };
}

/** The audit service's internal API: pages as JSON, the CSV export streamed through. */
@Injectable()
export class AuditClient {
  constructor(private readonly http: ServiceHttp) {}

  async page(scope: FirmScope, input: AuditQueryDto): Promise<AuditPageView> {
    return this.http.json('audit', 'GET', path(scope), { query: query(input) });
  }

  async export(scope: FirmScope, input: AuditQueryDto, req: Request, res: Response): Promise<void> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query(input))) {
      if (value !== undefined && name !== 'limit' && name !== 'cursor') params.set(name, String(value));
    }
    const search = params.toString();
    return this.http.forward('audit', 'GET', `${path(scope)}/export${search ? `?${search}` : ''}`, req, res);
  }
}
