// Running a restore: the settings, the job in flight with its progress, cancel, the last error, and the loupe
// preview (a restore of one region that never replaces the photo's result).
import type { GrayImage, PhotoInfo, Region, RestoredInfo } from '../../../src-main/contract';
import { JobState } from '../../lib/job.svelte';

export class RestoreState extends JobState {
  /** Pruning threshold; undefined = the model's own. */
  threshold = $state<number | undefined>(undefined);
  strength = $state(1);
  /** The model to run; undefined = the registry's default. */
  modelId = $state<string | undefined>(undefined);
  /** The last loupe preview and the mask revision it was made with (stale once the mask changes). */
  preview = $state<{ photoId: string; info: RestoredInfo; revision: number } | undefined>(undefined);

  /**
   * Restores `photo` with the editor's mask (undefined: none), or only `region` for a loupe preview. Resolves with
   * the result, or undefined when it failed or was cancelled.
   */
  async run(
    photo: PhotoInfo,
    options: { mask?: GrayImage | undefined; region?: Region | undefined; revision?: number } = {},
  ): Promise<RestoredInfo | undefined> {
    const result = await this.track(photo.id, (jobId) =>
      this.api.restore({
        jobId,
        photoId: photo.id,
        modelId: this.modelId,
        threshold: this.threshold,
        strength: this.strength,
        mask: options.mask,
        region: options.region,
      }),
    );
    if (result) {
      this.preview = result.region
        ? { photoId: photo.id, info: result, revision: options.revision ?? 0 }
        : undefined;
    }
    return result;
  }
}
