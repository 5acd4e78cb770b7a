import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { jobItems, jobLastSuccess, jobPassDuration, jobPasses } from './metrics';

/**
 * A background job that polls the database: one pass at start, then the next one `pauseMs`
 * after the previous ended, so a slow pass is never overtaken by the next. A failed pass is
 * logged and tried again later; at shutdown the pass under way is allowed to finish.
 */
export abstract class PollingJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected abstract readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** Work arrived while a pass was under way (after its query, perhaps): run again without the pause. */
  private pokedWhileRunning = false;

  /** One pass; true when there is more to do at once (the next pass then starts without a pause). */
  protected abstract runPass(): Promise<boolean>;

  /** The pause between two passes. */
  protected abstract get pauseMs(): number;

  /** False keeps the job from starting (e.g. turned off by configuration). */
  protected get enabled(): boolean {
    return true;
  }

  /** The job's name in metrics (label `task`). */
  protected get task(): string {
    return this.constructor.name;
  }

  /** Counts what a pass did (`result`: expired, queued, removed, ...), for cp_job_items_total. */
  protected countItems(result: string, count: number): void {
    jobItems.inc({ task: this.task, result }, count); // 0 too: the series exists from the first pass
  }

  /** True once the service is shutting down: a long pass can stop early. */
  protected get stopping(): boolean {
    return this.stopped;
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.schedule(0);
  }

  /** Before the database connection closes, so the pass under way can finish its writes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass soon instead of after the pause; a pass under way is followed by another at once. */
  protected poke(): void {
    if (this.running) this.pokedWhileRunning = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      let next = this.pauseMs;
      this.pokedWhileRunning = false;
      const endTimer = jobPassDuration.startTimer({ task: this.task });
      this.running = this.runPass()
        .then((more) => {
          jobPasses.inc({ task: this.task, outcome: 'ok' });
          jobLastSuccess.set({ task: this.task }, Date.now() / 1000);
          if (more || this.pokedWhileRunning) next = 0;
        })
        .catch((error: unknown) => {
          jobPasses.inc({ task: this.task, outcome: 'failed' });
          this.logger.warn({ err: String(error) }, 'background pass failed; will retry');
          next = Math.max(next, 1000);
        })
        .finally(() => {
          endTimer();
          this.running = undefined;
          this.schedule(next);
        });
    }, delayMs);
  }
}
