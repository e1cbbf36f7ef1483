// The studio's single-photo jobs (restore, loupe preview, detect) by the caller's job id: one at a time per id,
// progress sent as the contract's events, cancel(jobId) stops any of them between tiles.
import { EVENTS } from '../contract';
import { CancelledError, type JobOptions } from '../inference';
import { ApiFailure } from './errors';
import type { StudioHost } from './host';

export class PhotoJobs {
  private readonly running = new Map<string, AbortController>();

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
    this.running.set(jobId, controller);
    try {
      return await work({
        signal: controller.signal,
        onProgress: (progress) => this.host.emit(EVENTS.progress, { jobId, photoId, ...progress }),
      });
    } catch (error) {
      if (error instanceof CancelledError) throw new ApiFailure('cancelled', `${what} cancelled`);
      throw error;
    } finally {
      this.running.delete(jobId);
    }
  }

  /** True when a running job was told to stop. */
  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    controller?.abort();
    return controller !== undefined;
  }

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }
}
