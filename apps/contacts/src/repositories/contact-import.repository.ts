import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ImportCounts, ImportRowInvite, ImportRowResult } from '@cp/contracts';
import { firmScope, FirmScope, scoped } from '@cp/platform';
import { randomUUID } from 'node:crypto';
import { Model } from 'mongoose';
import type { CsvContactRow } from '../use-cases/import/csv-rows';
import { chunkId, ContactImport, ContactImportChunk } from './contact-import.schema';

/** A claimed import: the claim id makes every later write conditional on still holding it. */
export type ClaimedImport = ContactImport & { claim: string };

const counted = (counts: Partial<ImportCounts>) =>
  Object.fromEntries(Object.entries(counts).map(([k, v]) => [`counts.${k}`, v]));

/** The chunk starts that cover rows `from` … `to - 1`. */
function starts(chunkRows: number, from: number, to: number): number[] {
  const found: number[] = [];
  for (let start = Math.floor(from / chunkRows) * chunkRows; start < to; start += chunkRows) found.push(start);
  return found;
}

@Injectable()
export class ContactImportRepository {
  constructor(
    @InjectModel(ContactImport.name) private readonly imports: Model<ContactImport>,
    @InjectModel(ContactImportChunk.name) private readonly chunks: Model<ContactImportChunk>,
  ) {}

  /** Stores the rows (chunk documents first: a job is never claimable without its rows), then the job. */
  async create(
    scope: FirmScope,
    job: { staffUserId: string; fileName: string; invite: boolean; input: CsvContactRow[]; chunkRows: number },
  ): Promise<ContactImport> {
    const { input, ...rest } = job;
    const _id = randomUUID();
    await this.chunks.insertMany(
      starts(job.chunkRows, 0, input.length).map((start) => ({
        _id: chunkId(_id, start),
        firmId: scope.firmId,
        input: input.slice(start, start + job.chunkRows),
      })),
    );
    const created = await this.imports.create({
      ...rest,
      _id,
      firmId: scope.firmId,
      status: 'running',
      total: input.length,
    });
    return created.toObject();
  }

  /** The import and its results for rows `from` … `from + count - 1`: reads by _id only. */
  async findPage(
    scope: FirmScope,
    id: string,
    from: number,
    count: number,
  ): Promise<{ job: ContactImport; results: ImportRowResult[] } | null> {
    const job = await this.imports
      .findOne(scoped<ContactImport>(scope, { _id: id }))
      .lean<ContactImport>()
      .exec();
    if (!job) return null;
    const to = Math.min(from + count, job.next);
    if (from >= to) return { job, results: [] };
    const results = await this.resultsOf(scope, job, from, to);
    return { job, results: results.slice(from % job.chunkRows, (from % job.chunkRows) + (to - from)) };
  }

  /** Takes one running import whose lease ran out (new, or its worker died) for `leaseMs`. */
  async claimNext(leaseMs: number, now = new Date()): Promise<ClaimedImport | null> {
    const claim = randomUUID();
    const job = await this.imports
      .findOneAndUpdate(
        { status: 'running', leaseUntil: { $lt: now } },
        { $set: { leaseUntil: new Date(now.getTime() + leaseMs), claim }, $inc: { attempts: 1 } },
        { returnDocument: 'after', sort: { createdAt: 1 } },
      )
      .lean<ContactImport>()
      .exec();
    return job ? { ...job, claim } : null;
  }

  /** The rows of the file from `from` on. */
  async input(job: ClaimedImport, from: number): Promise<CsvContactRow[]> {
    const ids = starts(job.chunkRows, from, job.total).map((start) => chunkId(job._id, start));
    const found = await this.chunks
      .find(scoped<ContactImportChunk>(firmScope(job.firmId), { _id: { $in: ids } }), { input: 1 })
      .lean<ContactImportChunk[]>()
      .exec();
    const byId = new Map(found.map((c) => [c._id, c.input]));
    return ids.flatMap((chunk) => byId.get(chunk) ?? []).slice(from % job.chunkRows);
  }

  /** Every result so far, in file order. */
  async results(job: ClaimedImport): Promise<ImportRowResult[]> {
    return this.resultsOf(firmScope(job.firmId), job, 0, job.next);
  }

  /**
   * Records the results of the batch starting at `from`, moves the job on, then drops the batch's
   * rows (no longer needed); false when the claim was lost. A crash before the job moved on
   * imports the batch again from its rows, idempotently, and overwrites the same results.
   */
  async recordRows(
    job: ClaimedImport,
    from: number,
    results: ImportRowResult[],
    counts: Partial<ImportCounts>,
    leaseMs: number,
  ): Promise<boolean> {
    const chunk = { _id: chunkId(job._id, from), firmId: job.firmId };
    await this.chunks.updateOne(chunk, { $set: { results } });
    const res = await this.imports.updateOne(
      { _id: job._id, claim: job.claim },
      { $inc: counted(counts), $set: { next: from + results.length, leaseUntil: new Date(Date.now() + leaseMs) } },
    );
    if (res.modifiedCount !== 1) return false;
    // Only once the job has moved past it: a chunk at or after `next` keeps its rows for a resume.
    await this.chunks.updateOne(chunk, { $set: { input: [] } });
    return true;
  }

  /** Records invite outcomes by row index (one update per chunk) and moves the invite phase on. */
  async recordInvites(
    job: ClaimedImport,
    outcomes: Map<number, ImportRowInvite>,
    inviteNext: number,
    counts: Partial<ImportCounts>,
    leaseMs: number,
  ): Promise<boolean> {
    const byChunk = new Map<number, Record<string, ImportRowInvite>>();
    for (const [index, outcome] of outcomes) {
      const start = index - (index % job.chunkRows);
      const set = byChunk.get(start) ?? {};
      set[`results.${index - start}.invite`] = outcome;
      byChunk.set(start, set);
    }
    if (byChunk.size > 0) {
      await this.chunks.bulkWrite(
        [...byChunk].map(([start, set]) => ({
          updateOne: { filter: { _id: chunkId(job._id, start), firmId: job.firmId }, update: { $set: set } },
        })),
      );
    }
    const res = await this.imports.updateOne(
      { _id: job._id, claim: job.claim },
      { $inc: counted(counts), $set: { inviteNext, leaseUntil: new Date(Date.now() + leaseMs) } },
    );
    return res.modifiedCount === 1;
  }

  /** Hands the import back (this process is stopping): any worker may claim it at once. */
  async release(job: ClaimedImport): Promise<void> {
    await this.imports.updateOne(
      { _id: job._id, claim: job.claim },
      { $set: { leaseUntil: new Date(0), claim: null }, $inc: { attempts: -1 } },
    );
  }

  async finish(job: ClaimedImport, error: { code: string; detail: string } | null = null): Promise<void> {
    await this.imports.updateOne(
      { _id: job._id, claim: job.claim },
      { $set: { status: error ? 'failed' : 'done', error, finishedAt: new Date(), claim: null } },
    );
  }

  private async resultsOf(scope: FirmScope, job: ContactImport, from: number, to: number): Promise<ImportRowResult[]> {
    const ids = starts(job.chunkRows, from, to).map((start) => chunkId(job._id, start));
    const found = await this.chunks
      .find(scoped<ContactImportChunk>(scope, { _id: { $in: ids } }), { results: 1 })
      .lean<ContactImportChunk[]>()
      .exec();
    const byId = new Map(found.map((c) => [c._id, c.results]));
    return ids.flatMap((chunk) => byId.get(chunk) ?? []);
  }
}
