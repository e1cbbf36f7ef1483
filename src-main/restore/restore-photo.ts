// The restore service: decode a photo (sharp), derive the guide from its mask, run the engine in its worker,
// and write the result with the original's metadata, atomically and never over the input.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  ImageError,
  assertFitsFormat,
  checkWritable,
  decodePhoto,
  loadMask,
  maskToGuide,
  saveMap,
  savePhoto,
  sidecarPath,
  type BitDepth,
  type PhotoFormat,
} from '../imaging';
import type {
  DecisionMaps,
  Device,
  InferenceEngine,
  JobOptions,
  MapsChoice,
  RestoreJob,
  RestoreResult,
  RgbImage,
} from '../inference';
import { outputTarget } from './output-path';

export interface RestoreRequest {
  input: string;
  /** Output file or folder (see outputTarget). */
  output?: string | undefined;
  manyInputs?: boolean;
  /** Mask PNG; default: the sidecar `<photo>.mask.png` when it exists. */
  mask?: string | undefined;
  modelDir: string;
  threshold?: number | undefined;
  strength?: number | undefined;
  device?: Device | undefined;
  threads?: number | undefined;
  tile?: number | undefined;
  format?: PhotoFormat | undefined;
  quality?: number | undefined;
  bitDepth?: BitDepth | undefined;
  saveMaps?: boolean | undefined;
  /** Files this photo's output must not replace, each with why (the command's other photos, outputs it has
   * already written). */
  protect?: ReadonlyMap<string, string>;
}

export interface RestoreReport {
  input: string;
  output: string;
  mask: string | undefined;
  /** decisions: none when no tile ran and the manifest does not give the stages' shape. */
  maps: { confidence: string; decisions: string | undefined } | undefined;
  provider: RestoreResult['provider'];
  fallbackReason: string | undefined;
  tiles: RestoreResult['tiles'];
  keptRatio: number;
  threshold: number;
  seconds: number;
  warnings: string[];
}

/** The engine's settings, shared by single photos and batches. */
export type EngineSettings = Pick<
  RestoreRequest,
  'modelDir' | 'device' | 'threads' | 'threshold' | 'strength' | 'tile'
>;

/** One engine job for decoded pixels and their guide. */
export function engineJob(
  settings: EngineSettings,
  photo: RgbImage,
  guide: Float32Array | undefined,
  maps: MapsChoice,
): RestoreJob {
  return {
    modelDir: settings.modelDir,
    device: settings.device,
    threads: settings.threads,
    input: {
      pixels: { width: photo.width, height: photo.height, data: photo.data },
      guide,
      threshold: settings.threshold,
      strength: settings.strength,
      tile: settings.tile,
      maps,
    },
  };
}

export async function restorePhoto(
  engine: InferenceEngine,
  request: RestoreRequest,
  options: JobOptions = {},
): Promise<RestoreReport> {
  const started = performance.now();
  const photo = await decodePhoto(request.input);
  const target = outputTarget(request.input, photo.format, request);
  if (target.path === resolve(request.input)) {
    // Fail before the work; writeFileAtomic also refuses links and other names of the input.
    throw new ImageError(
      'protected',
      target.path,
      `${target.path}: refusing to overwrite the original photo`,
    );
  }
  const maskPath =
    request.mask ?? (existsSync(sidecarPath(request.input)) ? sidecarPath(request.input) : undefined);
  // The mask this photo is restored with is the user's work: neither the photo nor a map may replace it.
  const protect = new Map(request.protect ?? []);
  if (maskPath) protect.set(resolve(maskPath), `the mask ${maskPath} this photo is restored with`);
  const why = protect.get(target.path);
  if (why !== undefined) {
    throw new ImageError('protected', target.path, `${target.path}: refusing to overwrite ${why}`);
  }
  assertFitsFormat(target.format, photo.width, photo.height, target.path);
  const guide = maskPath ? maskToGuide(await loadMask(maskPath, photo)) : undefined;
  // An output folder that cannot be written, or a link to a protected file, fails now, not after the work.
  await checkWritable(target.path, [request.input, ...protect.keys()]);
  const result = await engine.restore(engineJob(request, photo, guide, request.saveMaps ?? false), options);
  const pixels = { ...result.pixels, channels: 3 as const, depth: photo.depth };
  const warnings = await savePhoto(target.path, pixels, {
    format: target.format,
    quality: request.quality,
    depth: request.bitDepth,
    original: request.input,
    protect: [...protect.keys()],
  });
  let maps: RestoreReport['maps'];
  if (request.saveMaps && result.confidence && result.decisions) {
    const decisions = result.decisions.count > 0 ? `${target.path}.decisions.png` : undefined;
    maps = { confidence: `${target.path}.confidence.png`, decisions };
    try {
      const protectMaps = [request.input, ...protect.keys()];
      await saveMap(
        maps.confidence,
        { width: photo.width, height: photo.height, data: result.confidence },
        protectMaps,
      );
      if (decisions) await saveMap(decisions, decisionStrip(result.decisions), protectMaps);
    } catch (error) {
      await Promise.all([target.path, maps.confidence].map((path) => rm(path, { force: true })));
      throw error;
    }
  }
  return {
    input: request.input,
    output: target.path,
    mask: maskPath,
    maps,
    provider: result.provider,
    fallbackReason: result.fallbackReason,
    tiles: result.tiles,
    keptRatio: result.keptRatio,
    threshold: result.threshold,
    seconds: (performance.now() - started) / 1000,
    warnings,
  };
}

/** The decision maps side by side (stage 0 on the left), one grid cell per pixel. */
export function decisionStrip(maps: DecisionMaps): { width: number; height: number; data: Float32Array } {
  const { count, width, height } = maps;
  const data = new Float32Array(count * width * height);
  for (let k = 0; k < count; k++) {
    for (let y = 0; y < height; y++) {
      const from = (k * height + y) * width;
      data.set(maps.data.subarray(from, from + width), y * count * width + k * width);
    }
  }
  return { width: count * width, height, data };
}
