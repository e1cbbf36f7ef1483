// A studio restore: the whole photo (its result cached as a lossless PNG at the photo's depth, so export encodes
// once from exact pixels) or a loupe region (only that rectangle runs; its PNG is a preview and never replaces
// the full result). Either way the guide comes from the editor's mask or the sidecar, and the run's decision maps
// come back as DecisionGrids.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Region, RestoreRequest, RestoredInfo } from '../contract';
import { decodePhoto, savePhoto } from '../imaging';
import type { InferenceEngine, JobOptions, RestoreResult } from '../inference';
import type { ModelEntry } from '../models/registry';
import { engineJob } from '../restore';
import { decisionGrids } from './decisions';
import { ApiFailure } from './errors';
import type { StudioHost } from './host';
import type { OpenedPhoto, RestoredFile } from './library';
import { guideFor } from './masks';
import { viewImage } from './view';

/** What a studio restore runs with. */
export interface RestoreContext {
  host: StudioHost;
  engine: InferenceEngine;
  /** The studio's cache: results live in `<cacheDir>/<photo id>/<job id>/`. */
  cacheDir: string;
  threads: number;
}

export async function restoreInStudio(
  context: RestoreContext,
  photo: OpenedPhoto,
  model: ModelEntry,
  request: RestoreRequest,
  job: JobOptions,
): Promise<RestoredInfo> {
  const started = performance.now();
  claimJobId(photo, request.jobId);
  const area = request.region ? clampRegion(request.region, photo) : wholePhoto(photo);
  // Checked (mask size, sidecar) before the photo is decoded.
  const guide = await guideFor(photo, request.mask, area);
  // A loupe region is cut at decode (sharp's extract after auto-orientation), not from a full decode.
  const pixels = await decodePhoto(photo.path, { region: request.region ? area : undefined });
  const { depth } = pixels;
  const { threshold, strength, device } = request;
  const settings = { modelDir: model.dir, threads: context.threads, threshold, strength, device };
  const folder = join(context.cacheDir, photo.id, request.jobId);
  try {
    await mkdir(folder, { recursive: true });
    // The engine moves the pixels and the guide to its worker: `pixels` is not used after this.
    const result = await context.engine.restore(engineJob(settings, pixels, guide, 'decisions'), job);
    const file = join(folder, request.region ? 'preview.png' : 'restored.png');
    const warnings = await savePhoto(
      file,
      { ...result.pixels, channels: 3, depth },
      {
        format: 'png',
        depth,
        original: photo.path,
        // A preview carries only the colour profile (so the loupe shows the right colours).
        ...(request.region ? { region: area, metadata: 'profile' as const } : {}),
      },
    );
    const info = restoredInfo(context, photo, request, model, { result, area, warnings, started });
    const previous = replaceFile(photo, request.region ? 'preview' : 'restored', {
      path: file,
      jobId: request.jobId,
    });
    if (previous)
      await rm(join(context.cacheDir, photo.id, previous.jobId), { recursive: true, force: true });
    return info;
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Job ids each photo's restores have used. A run's folder is named by its job id and removed when the run fails
 * or is replaced, so a reused id would remove the live result (or preview): it is refused. Compared lowercased, as
 * macOS and Windows give `A` and `a` one folder.
 */
const usedJobIds = new WeakMap<OpenedPhoto, Set<string>>();

function claimJobId(photo: OpenedPhoto, jobId: string): void {
  const used = usedJobIds.get(photo) ?? new Set<string>();
  usedJobIds.set(photo, used);
  const key = jobId.toLowerCase();
  if (used.has(key)) {
    throw new ApiFailure(
      'invalid-request',
      `job id ${jobId} was already used for this photo: each restore needs a new one`,
    );
  }
  used.add(key);
}

/** The region inside the photo: cut at the photo's edges; a region that misses the photo is refused. */
export function clampRegion(region: Region, photo: OpenedPhoto): Region {
  const { width, height } = photo.summary;
  if (region.x >= width || region.y >= height) {
    throw new ApiFailure(
      'invalid-request',
      `the region at ${region.x},${region.y} lies outside the photo (${width}x${height})`,
    );
  }
  return {
    x: region.x,
    y: region.y,
    width: Math.min(region.width, width - region.x),
    height: Math.min(region.height, height - region.y),
  };
}

function wholePhoto(photo: OpenedPhoto): Region {
  return { x: 0, y: 0, width: photo.summary.width, height: photo.summary.height };
}

/** Sets the photo's result or preview; returns the one it replaces (whose folder is then removed). */
function replaceFile(
  photo: OpenedPhoto,
  kind: 'restored' | 'preview',
  file: RestoredFile,
): RestoredFile | undefined {
  const previous = photo[kind];
  photo[kind] = file;
  return previous;
}

function restoredInfo(
  context: RestoreContext,
  photo: OpenedPhoto,
  request: RestoreRequest,
  model: ModelEntry,
  run: { result: RestoreResult; area: Region; warnings: string[]; started: number },
): RestoredInfo {
  const { result, area } = run;
  const kind = request.region ? 'preview' : 'result';
  return {
    jobId: request.jobId,
    url: context.host.imageUrl(kind, photo.id, request.jobId),
    view: request.region ? undefined : viewImage(context.host, 'result', photo.id, area, request.jobId),
    width: area.width,
    height: area.height,
    provider: result.provider,
    fallbackReason: result.fallbackReason,
    keptRatio: result.keptRatio,
    threshold: result.threshold,
    strength: request.strength ?? 1,
    seconds: (performance.now() - run.started) / 1000,
    tiles: result.tiles,
    warnings: run.warnings,
    region: request.region ? area : undefined,
    decisions: decisionGrids(result.decisions, model.manifest.architecture, area),
  };
}
