// Running a restore: the settings, the job in flight with its progress, cancel, the last error, and the loupe
// preview (a restore of one region that never replaces the photo's result).
import type {
  DeblurApi,
  GrayImage,
  PhotoInfo,
  ProgressEvent,
  Region,
  RestoredInfo,
} from '../../../src-main/contract';
import { ApiFailure, messageOf, unwrap } from '../../lib/bridge';

export class RestoreState {
  /** Pruning threshold; undefined = the model's own. */
  threshold = $state<number | undefined>(undefined);
  strength = $state(1);
  /** The model to run; undefined = the registry's default. */
  modelId = $state<string | undefined>(undefined);
  jobId = $state<string | undefined>(undefined);
  photoId = $state<string | undefined>(undefined);
  progress = $state<ProgressEvent | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  cancelling = $state(false);
  /** The last loupe preview and the mask revision it was made with (stale once the mask changes). */
  preview = $state<{ photoId: string; info: RestoredInfo; revision: number } | undefined>(undefined);

  readonly running = $derived(this.jobId !== undefined);
  readonly fraction = $derived(this.progress?.total ? this.progress.done / this.progress.total : 0);

  constructor(private readonly api: DeblurApi) {
    api.onProgress((event) => {
      if (event.jobId === this.jobId) this.progress = event;
    });
  }

  /**
   * Restores `photo` with the editor's mask (undefined: none), or only `region` for a loupe preview. Resolves with
   * the result, or undefined when it failed or was cancelled.
   */
  async run(
    photo: PhotoInfo,
    options: { mask?: GrayImage | undefined; region?: Region | undefined; revision?: number } = {},
  ): Promise<RestoredInfo | undefined> {
    if (this.jobId) return undefined;
    const jobId = crypto.randomUUID();
    this.jobId = jobId;
    this.photoId = photo.id;
    this.progress = undefined;
    this.error = undefined;
    try {
      const result = unwrap(
        await this.api.restore({
          jobId,
          photoId: photo.id,
          modelId: this.modelId,
          threshold: this.threshold,
          strength: this.strength,
          mask: options.mask,
          region: options.region,
        }),
      );
      this.preview = result.region
        ? { photoId: photo.id, info: result, revision: options.revision ?? 0 }
        : undefined;
      return result;
    } catch (error) {
      this.error = error instanceof ApiFailure && error.code === 'cancelled' ? 'Cancelled' : messageOf(error);
      return undefined;
    } finally {
      this.jobId = undefined;
      this.cancelling = false;
    }
  }

  clearPreview(): void {
    this.preview = undefined;
  }

  async cancel(): Promise<void> {
    if (!this.jobId || this.cancelling) return;
    this.cancelling = true;
    await this.api.cancel(this.jobId);
  }
}
