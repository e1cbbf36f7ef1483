// The studio's single-photo jobs (restore, loupe preview, detect) by the caller's job id: one at a time per id,
// progress sent as the contract's events, cancel(jobId) stops any of them between tiles, and closing a photo stops
// all of its jobs and waits for them to end.
import { EVENTS } from '../contract';
import { CancelledError, type JobOptions } from '../inference';
import { ApiFailure } from './errors';
import type { StudioHost } from './host';

interface RunningJob {
  controller: AbortController;
  photoId: string;
  /** Resolves when the job has ended, however it ended. */
  ended: Promise<void>;
}

export class PhotoJobs {
  private readonly running = new Map<string, RunningJob>();

  constructor(private readonly host: StudioHost) {}

  /** Runs `work` as job `jobId` on photo `photoId`; a cancelled job ends in a 'cancelled' ApiFailure. */
  async run<T>(
    jobId: string,
    photoId: string,
    what: string,
    work: (job: JobOptions) => Promise<T>,
  ): Promise<T> {
    if (this.running.has(jobId)) throw new ApiFailure('busy', `job ${jobId} is already running`);
    const controller = new AbortController();
    const task = work({
      signal: controller.signal,
      onProgress: (progress) => this.host.emit(EVENTS.progress, { jobId, photoId, ...progress }),
    });
    const ended = task.then(
      () => undefined,
      () => undefined,
    );
    this.running.set(jobId, { controller, photoId, ended });
    try {
      return await task;
    } catch (error) {
      if (error instanceof CancelledError) throw new ApiFailure('cancelled', `${what} cancelled`);
      throw error;
    } finally {
      this.running.delete(jobId);
    }
  }

  /** True when a running job was told to stop. */
  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    job?.controller.abort();
    return job !== undefined;
  }

  /** Stops every job of the photo; resolves once they have all ended (so none writes after this). */
  cancelPhoto(photoId: string): Promise<void> {
    return this.stop((job) => job.photoId === photoId);
  }

  /** Stops every job; resolves once they have all ended. */
  cancelAll(): Promise<void> {
    return this.stop(() => true);
  }

  private async stop(which: (job: RunningJob) => boolean): Promise<void> {
    const jobs = [...this.running.values()].filter(which);
    for (const job of jobs) job.controller.abort();
    await Promise.all(jobs.map((job) => job.ended));
  }
}
