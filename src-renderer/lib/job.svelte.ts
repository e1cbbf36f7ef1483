// One job in flight at a time (a restore or a blur detection): its id, the photo, progress events, cancel and
// the last error. Subclasses say what the job calls; the lifecycle lives here once.
import type { DeblurApi, ProgressEvent, Result } from '../../src-main/contract';
import { ApiFailure, messageOf, unwrap } from './bridge';

export class JobState {
  jobId = $state<string | undefined>(undefined);
  photoId = $state<string | undefined>(undefined);
  progress = $state<ProgressEvent | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  cancelling = $state(false);

  readonly running = $derived(this.jobId !== undefined);
  readonly fraction = $derived(this.progress?.total ? this.progress.done / this.progress.total : 0);
  private readonly unsubscribe: () => void;

  constructor(protected readonly api: DeblurApi) {
    this.unsubscribe = api.onProgress((event) => {
      if (event.jobId === this.jobId) this.progress = event;
    });
  }

  /** Runs `call` under a fresh job id for `photoId`; undefined when busy, failed ("Cancelled" for a cancel). */
  protected async track<T>(
    photoId: string,
    call: (jobId: string) => Promise<Result<T>>,
  ): Promise<T | undefined> {
    if (this.jobId) return undefined;
    const jobId = crypto.randomUUID();
    this.jobId = jobId;
    this.photoId = photoId;
    this.progress = undefined;
    this.error = undefined;
    try {
      return unwrap(await call(jobId));
    } catch (error) {
      this.error = error instanceof ApiFailure && error.code === 'cancelled' ? 'Cancelled' : messageOf(error);
      return undefined;
    } finally {
      this.jobId = undefined;
      this.cancelling = false;
    }
  }

  async cancel(): Promise<void> {
    if (!this.jobId || this.cancelling) return;
    this.cancelling = true;
    await this.api.cancel(this.jobId);
  }

  dispose(): void {
    this.unsubscribe();
  }
}
