import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditAction } from '@cp/contracts';
import { isDuplicateKey } from '@cp/messaging';
import { beforeCursor, FirmScope, NEWEST_FIRST, scoped } from '@cp/platform';
import type { FindCursor } from 'mongodb';
import { Model } from 'mongoose';
import { AuditConfig } from '../config';
import { AuditPerson, AuditRecord } from './audit-record.schema';

export type NewAuditRecord = Omit<AuditRecord, 'createdAt' | 'updatedAt'>;

export interface AuditFilter {
  actor?: string;
  contactId?: string;
  clientId?: string;
  fileId?: string;
  action?: AuditAction;
  from?: Date;
  to?: Date;
}

export interface Person {
  name: string | null;
  email: string | null;
}

@Injectable()
export class AuditRecordRepository implements OnModuleInit {
  private readonly logger = new Logger(AuditRecordRepository.name);

  constructor(
    @InjectModel(AuditRecord.name) private readonly records: Model<AuditRecord>,
    @InjectModel(AuditPerson.name) private readonly people: Model<AuditPerson>,
    private readonly config: AuditConfig,
  ) {}

  /** The retention as a TTL index on the record's time (a later change of the setting: the sweep applies it; an operator runs collMod). */
  async onModuleInit(): Promise<void> {
    const expireAfterSeconds = this.config.AUDIT_RETENTION_DAYS * 86_400;
    try {
      // Created once; a different retention later is left to the sweep (and an operator's collMod):
      // a second createIndex with other options leaves the local store's index metadata broken.
      const existing = (await this.records.collection
        .listIndexes()
        .toArray()
        .catch(() => [])) as { name?: string }[];
      if (existing.some((index) => index.name === 'retention')) return;
      await this.records.collection.createIndex({ at: 1 }, { name: 'retention', expireAfterSeconds });
    } catch (error) {
      // An index of another retention (the setting changed), or a store without TTL: the sweep
      // job keeps the retention either way. (collMod is not used: the local store mishandles it.)
      this.logger.warn({ err: String(error) }, 'retention TTL index not set; the sweep keeps the retention');
    }
  }

  /** Stores new records; one whose event was recorded already is left as it is (append-only). */
  async insertMany(records: NewAuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.records.insertMany(records, { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code?: number } | { code?: number }[] }).writeErrors;
      const errors = writeErrors === undefined ? [] : ([] as { code?: number }[]).concat(writeErrors);
      if (!isDuplicateKey(error) && !(errors.length > 0 && errors.every((e) => e.code === 11000))) throw error;
    }
  }

  async rememberPeople(people: (Person & { firmId: string; id: string })[]): Promise<void> {
    if (people.length === 0) return;
    await this.people.bulkWrite(
      people.map((p) => {
        const set: Record<string, string> = {};
        if (p.name) set.name = p.name;
        if (p.email) set.email = p.email;
        return {
          updateOne: {
            filter: { _id: `${p.firmId}:${p.id}` },
            update: { $set: { ...set, firmId: p.firmId } },
            upsert: true,
          },
        };
      }),
      { ordered: false },
    );
  }

  async peopleOf(scope: FirmScope, ids: string[]): Promise<Map<string, Person>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const found = await this.people
      .find(scoped<AuditPerson>(scope, { _id: { $in: unique.map((id) => `${scope.firmId}:${id}`) } }))
      .lean<AuditPerson[]>()
      .exec();
    return new Map(found.map((p) => [p._id.slice(scope.firmId.length + 1), { name: p.name, email: p.email }]));
  }

  async page(scope: FirmScope, filter: AuditFilter, page: { cursor?: string; limit: number }): Promise<AuditRecord[]> {
    return this.records
      .find(scoped<AuditRecord>(scope, { $and: [query(filter), beforeCursor(page.cursor)] }))
      .sort(NEWEST_FIRST)
      .limit(page.limit + 1)
      .lean<AuditRecord[]>()
      .exec();
  }

  /** Every matching record, newest first, read from a database cursor in batches (the CSV export). */
  stream(scope: FirmScope, filter: AuditFilter): FindCursor<AuditRecord> {
    return this.records.collection
      .find<AuditRecord>({ ...query(filter), firmId: scope.firmId })
      .sort(NEWEST_FIRST)
      .batchSize(500);
  }

  /** Removes up to `limit` records older than `before`, of every firm; the count removed. */
  async deleteOlderThan(before: Date, limit: number): Promise<number> {
    const old = await this.records
      .find({ at: { $lt: before } }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    if (old.length === 0) return 0;
    const result = await this.records.deleteMany({ _id: { $in: old.map((r) => r._id) }, at: { $lt: before } });
    return result.deletedCount;
  }
}

function query(filter: AuditFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (filter.actor) q.actorId = filter.actor;
  if (filter.contactId) q.contactIds = filter.contactId;
  if (filter.clientId) q['objects.clientId'] = filter.clientId;
  if (filter.fileId) q['objects.fileId'] = filter.fileId;
  if (filter.action) q.action = filter.action;
  if (filter.from || filter.to) {
    q.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
  }
  return q;
}
