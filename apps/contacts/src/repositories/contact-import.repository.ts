import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ImportCounts, ImportRowInvite, ImportRowResult } from '@cp/contracts';
import { FirmScope, scoped } from '@cp/platform';
import { randomUUID } from 'node:crypto';
import { Model } from 'mongoose';
import type { CsvContactRow } from '../use-cases/import/csv-rows';
import { ContactImport } from './contact-import.schema';

export type ImportSummary = Omit<ContactImport, 'input' | 'results'>;

/** A claimed import: the claim id makes every later write conditional on still holding it. */
export type ClaimedImport = ImportSummary & { claim: string };

@Injectable()
export class ContactImportRepository {
  constructor(@InjectModel(ContactImport.name) private readonly imports: Model<ContactImport>) {}

  async create(
    scope: FirmScope,
    job: { staffUserId: string; fileName: string; invite: boolean; input: CsvContactRow[] },
  ): Promise<ContactImport> {
    const created = await this.imports.create({
      ...job,
      firmId: scope.firmId,
      status: 'running',
      total: job.input.length,
    });
    return created.toObject();
  }

  /** The import and one page of its results (rows `from` … `from + count - 1`). */
  async findPage(
    scope: FirmScope,
    id: string,
    from: number,
    count: number,
  ): Promise<(ImportSummary & { results: ImportRowResult[] }) | null> {
    // Sliced here, not with a `$slice` projection: the local MongoDB-wire server refuses one
    // beside an exclusion. The results of 10,000 rows are about 2 MB.
    const job = await this.imports
      .findOne(scoped<ContactImport>(scope, { _id: id }), { input: 0 })
      .lean<ImportSummary & { results: ImportRowResult[] }>()
      .exec();
    return job ? { ...job, results: job.results.slice(from, from + count) } : null;
  }

  /** Takes one running import whose lease ran out (new, or its worker died) for `leaseMs`. */
  async claimNext(leaseMs: number, now = new Date()): Promise<ClaimedImport | null> {
    const claim = randomUUID();
    const job = await this.imports
      .findOneAndUpdate(
        { status: 'running', leaseUntil: { $lt: now } },
        { $set: { leaseUntil: new Date(now.getTime() + leaseMs), claim }, $inc: { attempts: 1 } },
        { returnDocument: 'after', sort: { createdAt: 1 }, projection: { input: 0, results: 0 } },
      )
      .lean<ImportSummary>()
      .exec();
    return job ? { ...job, claim } : null;
  }

  /** Records a batch of row results; false when the claim was lost (another worker has it). */
  async recordRows(
    job: ClaimedImport,
    from: number,
    results: ImportRowResult[],
    counts: Partial<ImportCounts>,
    leaseMs: number,
  ): Promise<boolean> {
    const inc = Object.fromEntries(Object.entries(counts).map(([k, v]) => [`counts.${k}`, v]));
    const res = await this.imports.updateOne(
      { _id: job._id, claim: job.claim },
      {
        $push: { results: { $each: results } },
        $inc: inc,
        $set: { next: from + results.length, leaseUntil: new Date(Date.now() + leaseMs) },
      },
    );
    return res.modifiedCount === 1;
  }

  /** Records invite outcomes by row index and moves the invite phase on. */
  async recordInvites(
    job: ClaimedImport,
    outcomes: Map<number, ImportRowInvite>,
    inviteNext: number,
    counts: Partial<ImportCounts>,
    leaseMs: number,
  ): Promise<boolean> {
    const set: Record<string, unknown> = { inviteNext, leaseUntil: new Date(Date.now() + leaseMs) };
    for (const [index, outcome] of outcomes) set[`results.${index}.invite`] = outcome;
    const inc = Object.fromEntries(Object.entries(counts).map(([k, v]) => [`counts.${k}`, v]));
    const res = await this.imports.updateOne({ _id: job._id, claim: job.claim }, { $set: set, $inc: inc });
    return res.modifiedCount === 1;
  }

  /** Hands the import back (this process is stopping): any worker may claim it at once. */
  async release(job: ClaimedImport): Promise<void> {
    await this.imports.updateOne(
      { _id: job._id, claim: job.claim },
      { $set: { leaseUntil: new Date(0), claim: null }, $inc: { attempts: -1 } },
    );
  }

  /** The end of an import, done or failed: the rows read from the file are no longer needed. */
  async finish(job: ClaimedImport, error: { code: string; detail: string } | null = null): Promise<void> {
    await this.imports.updateOne(
      { _id: job._id, claim: job.claim },
      {
        $set: { status: error ? 'failed' : 'done', error, finishedAt: new Date(), claim: null, input: [] },
      },
    );
  }

  async results(job: ClaimedImport): Promise<ImportRowResult[]> {
    const found = await this.imports.findById(job._id, { results: 1 }).lean<Pick<ContactImport, 'results'>>().exec();
    return found?.results ?? [];
  }

  async input(job: ClaimedImport): Promise<CsvContactRow[]> {
    const found = await this.imports.findById(job._id, { input: 1 }).lean<Pick<ContactImport, 'input'>>().exec();
    return found?.input ?? [];
  }
}
