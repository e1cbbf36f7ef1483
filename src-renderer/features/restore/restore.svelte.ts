// Running a restore: the settings, the job in flight with its progress, cancel, and the last error.
import type { DeblurApi, PhotoInfo, ProgressEvent, RestoredInfo } from '../../../src-main/contract';
import { ApiFailure, messageOf, unwrap } from '../../lib/bridge';

export class RestoreState {
  /** Pruning threshold; undefined = the model's own. */
  threshold = $state<number | undefined>(undefined);
  strength = $state(1);
  jobId = $state<string | undefined>(undefined);
  photoId = $state<string | undefined>(undefined);
  progress = $state<ProgressEvent | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  cancelling = $state(false);

  readonly running = $derived(this.jobId !== undefined);
  readonly fraction = $derived(this.progress?.total ? this.progress.done / this.progress.total : 0);

  constructor(private readonly api: DeblurApi) {
    api.onProgress((event) => {
      if (event.jobId === this.jobId) this.progress = event;
    });
  }

  /** Restores `photo`; resolves with the result, or undefined when it failed or was cancelled. */
  async run(photo: PhotoInfo): Promise<RestoredInfo | undefined> {
    if (this.jobId) return undefined;
    const jobId = crypto.randomUUID();
    this.jobId = jobId;
    this.photoId = photo.id;
    this.progress = undefined;
    this.error = undefined;
    try {
      return unwrap(
        await this.api.restore({
          jobId,
          photoId: photo.id,
          threshold: this.threshold,
          strength: this.strength,
        }),
      );
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
}
