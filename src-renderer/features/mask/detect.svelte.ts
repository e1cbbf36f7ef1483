// "Detect blur": the model's proposal for a photo (confidence map and window decisions) without restoring it, with
// progress and cancel like a restore. The last result of the KEPT_RESULTS most recently detected photos is kept
// (each holds a full-size confidence map).
import { SvelteMap } from 'svelte/reactivity';
import type { DetectResult, PhotoInfo } from '../../../src-main/contract';
import { JobState } from '../../lib/job.svelte';

export const KEPT_RESULTS = 6;

export class DetectState extends JobState {
  readonly results = new SvelteMap<string, DetectResult>();

  /** Detects blur in `photo`; resolves with the result (also kept in `results`), undefined on failure or cancel. */
  async run(photo: PhotoInfo, threshold?: number, modelId?: string): Promise<DetectResult | undefined> {
    const result = await this.track(photo.id, (jobId) =>
      this.api.detect({ jobId, photoId: photo.id, threshold, modelId }),
    );
    if (result) {
      this.results.delete(photo.id); // set again: the most recent last
      this.results.set(photo.id, result);
      for (const id of this.results.keys()) {
        if (this.results.size <= KEPT_RESULTS) break;
        this.results.delete(id);
      }
    }
    return result;
  }
}
