import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  AuditPageView,
  AuditQueryDto,
  AuditRecordView,
  DEFAULT_PAGE_SIZE,
  DomainError,
  ErrorCode,
} from '@cp/contracts';
import { encodeNewestFirstCursor, FirmScope, firmScope } from '@cp/platform';
import type { Response } from 'express';
import { once } from 'node:events';
import { AuditFilter, AuditRecordRepository, Person } from '../repositories/audit-record.repository';
import { AuditRecord } from '../repositories/audit-record.schema';
import { CSV_HEADER, csvField, csvLine } from '../use-cases/audit-csv';

const EXPORT_BATCH = 500;

function toView(r: AuditRecord, people: Map<string, Person>): AuditRecordView {
  const person = r.actorId ? people.get(r.actorId) : undefined;
  return {
    id: r._id,
    action: r.action,
    at: new Date(r.at).toISOString(),
    actor: { id: r.actorId, kind: r.actorKind, name: person?.name ?? null, email: person?.email ?? null },
    ip: r.ip,
    userAgent: r.userAgent,
    objects: r.objects ?? {},
    details: r.details ?? {},
    correlationId: r.correlationId,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

/** A time the validator let through but Date cannot read is refused, never queried as "Invalid Date". */
function timeOf(field: 'from' | 'to', value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    throw new DomainError(ErrorCode.ValidationFailed, `${field} is not a time.`, {
      errors: [{ field, message: `${field} must be an ISO 8601 date-time` }],
    });
  }
  return at;
}

function filterOf(query: AuditQueryDto): AuditFilter {
  const { actor, contactId, clientId, fileId, action, from, to } = query;
  return { actor, contactId, clientId, fileId, action, from: timeOf('from', from), to: timeOf('to', to) };
}

/** Internal: a firm's audit trail, newest first, as pages or as one streamed CSV. */
@Controller('firms/:firmId/audit')
export class AuditController {
  constructor(private readonly records: AuditRecordRepository) {}

  @Get()
  async list(@Param('firmId') firmId: string, @Query() query: AuditQueryDto): Promise<AuditPageView> {
    const scope = firmScope(firmId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const fetched = await this.records.page(scope, filterOf(query), { cursor: query.cursor, limit });
    const items = fetched.slice(0, limit);
    const people = await this.peopleOf(scope, items);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => toView(r, people)),
      nextCursor: fetched.length > limit && last ? encodeNewestFirstCursor(last) : null,
    };
  }

  /** Streamed from a database cursor, a batch at a time, waiting for the client when it reads slowly. */
  @Get('export')
  async export(@Param('firmId') firmId: string, @Query() query: AuditQueryDto, @Res() res: Response): Promise<void> {
    const scope = firmScope(firmId);
    const cursor = this.records.stream(scope, filterOf(query));
    const day = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="audit-${day}.csv"`);
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    try {
      res.write(`${CSV_HEADER.map(csvField).join(',')}\r\n`);
      let batch: AuditRecord[] = [];
      const flush = async () => {
        const people = await this.peopleOf(scope, batch);
        const text = batch.map((r) => csvLine(toView(r, people))).join('');
        batch = [];
        if (!res.write(text) && !closed) await once(res, 'drain');
      };
      for await (const record of cursor) {
        if (closed) break;
        batch.push(record);
        if (batch.length >= EXPORT_BATCH) await flush();
      }
      if (batch.length > 0 && !closed) await flush();
      res.end();
    } catch {
      // Headers are out: a failure can only cut the file short, which the client sees.
      res.destroy();
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  private async peopleOf(scope: FirmScope, records: AuditRecord[]): Promise<Map<string, Person>> {
    return this.records.peopleOf(
      scope,
      records.map((r) => r.actorId).filter((id): id is string => id !== null),
    );
  }
}
