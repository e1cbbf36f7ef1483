// "Detect blur": the model's proposal for a photo (confidence map and window decisions) without restoring it, with
// progress and cancel like a restore. The last result per photo is kept while the app runs.
import { SvelteMap } from 'svelte/reactivity';
import type { DeblurApi, DetectResult, PhotoInfo, ProgressEvent } from '../../../src-main/contract';
import { ApiFailure, messageOf, unwrap } from '../../lib/bridge';

export class DetectState {
  jobId = $state<string | undefined>(undefined);
  photoId = $state<string | undefined>(undefined);
  progress = $state<ProgressEvent | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  cancelling = $state(false);
  readonly results = new SvelteMap<string, DetectResult>();
  private readonly unsubscribe: () => void;

  readonly running = $derived(this.jobId !== undefined);
  readonly fraction = $derived(this.progress?.total ? this.progress.done / this.progress.total : 0);

  constructor(private readonly api: DeblurApi) {
    this.unsubscribe = api.onProgress((event) => {
      if (event.jobId === this.jobId) this.progress = event;
    });
  }

  /** Detects blur in `photo`; resolves with the result (also kept in `results`), undefined on failure or cancel. */
  async run(photo: PhotoInfo, threshold?: number, modelId?: string): Promise<DetectResult | undefined> {
    if (this.jobId) return undefined;
    const jobId = crypto.randomUUID();
    this.jobId = jobId;
    this.photoId = photo.id;
    this.progress = undefined;
    this.error = undefined;
    try {
      const result = unwrap(await this.api.detect({ jobId, photoId: photo.id, threshold, modelId }));
      this.results.set(photo.id, result);
      return result;
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
