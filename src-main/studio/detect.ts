// "Detect blur": the model's own proposal for a photo, run with no guide and its maps on. Nothing is written:
// the confidence map (0..255 at the photo's size) and the decision grids go back to the editor.
import type { DetectRequest, DetectResult } from '../contract';
import { decodePhoto, mapToGray } from '../imaging';
import type { JobOptions } from '../inference';
import type { ModelEntry } from '../models/registry';
import { engineJob } from '../restore';
import { decisionGrids } from './decisions';
import type { OpenedPhoto } from './library';
import type { RestoreContext } from './restore';

export async function detectInStudio(
  context: Pick<RestoreContext, 'engine' | 'threads'>,
  photo: OpenedPhoto,
  model: ModelEntry,
  request: DetectRequest,
  job: JobOptions,
): Promise<DetectResult> {
  const started = performance.now();
  const decoded = await decodePhoto(photo.path);
  const { width, height } = decoded;
  const settings = {
    modelDir: model.dir,
    threads: context.threads,
    threshold: request.threshold,
    device: request.device,
  };
  const result = await context.engine.restore(engineJob(settings, decoded, undefined, true), job);
  const confidence = result.confidence ?? new Float32Array(width * height);
  return {
    jobId: request.jobId,
    provider: result.provider,
    fallbackReason: result.fallbackReason,
    threshold: result.threshold,
    keptRatio: result.keptRatio,
    seconds: (performance.now() - started) / 1000,
    confidence: { width, height, data: mapToGray({ width, height, data: confidence }) },
    decisions: decisionGrids(result.decisions, model.manifest.architecture, decoded),
  };
}
