import { Injectable, Logger } from '@nestjs/common';
import { PollingJob } from '@cp/platform';
import { ContactImportRepository } from '../../repositories/contact-import.repository';
import { IMPORT_LEASE_MS, ImportContacts } from './import-contacts.use-case';

/**
 * Runs imports in the background: claims a running import whose lease is free (a new one at
 * once, through `wake`; one whose worker died once its lease ran out, e.g. after a restart) and
 * imports the rest of it. The poll is what resumes imports of a process that went away.
 */
@Injectable()
export class ImportWorker extends PollingJob {
  protected readonly logger = new Logger(ImportWorker.name);

  constructor(
    private readonly imports: ContactImportRepository,
    private readonly importer: ImportContacts,
  ) {
    super();
  }

  protected get pauseMs(): number {
    return IMPORT_LEASE_MS / 3;
  }

  /** A new import was stored: start on it now rather than at the next poll. */
  wake(): void {
    this.poke();
  }

  protected async runPass(): Promise<boolean> {
    const job = await this.imports.claimNext(IMPORT_LEASE_MS);
    if (!job) return false;
    await this.importer.run(job, () => this.stopping);
    return true;
  }
}
