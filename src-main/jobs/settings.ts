// What a batch output depends on besides its input photo: recorded with each `done` in the journal, so a rerun
// with other settings (a higher strength, another model, a repainted mask) restores the photo again instead of
// handing back the old picture. Values are the effective ones (defaults filled in from the manifest), so
// `--strength 1` and no `--strength` match (and `--bit-depth 8` and none for an 8-bit photo: changedFor).
// Device and threads are left out: they do not change the picture.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DEFAULT_QUALITY, FORMAT_FACTS, probePhoto, type BitDepth, type PhotoFormat } from '../imaging';
import { loadModelDir, type Manifest } from '../inference';
import type { BatchRequest } from './types';

export interface OutputSettings {
  /** `<manifest id>@<hash of its weights' sha256s>`, or the model folder where no manifest could be read. */
  model: string;
  threshold: number | undefined;
  strength: number;
  tile: number | undefined;
  format: PhotoFormat;
  /** Lossy formats only: PNG and TIFF ignore it. */
  quality: number | undefined;
  /** As asked (undefined: the photo's own); not for 8-bit-only formats. */
  bitDepth: BitDepth | undefined;
  /** sha256 of the sidecar mask `<photo>.mask.png`; null without one. */
  mask: string | null;
}

/** The settings of a batch shared by all its photos; read once per plan. */
export type BatchSettings = (format: PhotoFormat, mask: string | undefined) => Promise<OutputSettings>;

export async function batchSettings(request: BatchRequest): Promise<BatchSettings> {
  const manifest: Manifest | undefined = await loadModelDir(request.modelDir, { verify: false }).then(
    (model) => model.manifest,
    () => undefined, // the engine reports a missing or broken model on the first photo
  );
  const model = manifest
    ? `${manifest.id}@${sha256([manifest.sha256, ...(manifest.externalData ?? []).map((f) => f.sha256)].join())}`
    : request.modelDir;
  return async (format, mask) => {
    const facts = FORMAT_FACTS[format];
    return {
      model,
      threshold: request.threshold ?? manifest?.defaultThreshold,
      strength: request.strength ?? 1,
      tile: request.tile ?? manifest?.recommendedTile,
      format,
      quality: facts.lossy ? (request.quality ?? DEFAULT_QUALITY) : undefined,
      bitDepth: facts.maxDepth > 8 ? request.bitDepth : undefined,
      // Unreadable: the photo fails on it when loaded.
      mask: mask ? await readFile(mask).then(sha256, () => 'unreadable') : null,
    };
  };
}

/** How a changed setting is named in reports: as the CLI option a photographer knows. */
const LABELS: Record<keyof OutputSettings, string> = {
  model: 'model',
  threshold: 'threshold',
  strength: 'strength',
  tile: 'tile',
  format: 'format',
  quality: 'quality',
  bitDepth: 'bit depth',
  mask: 'mask',
};

/** The names of the settings that differ. A record without settings (a journal of an older version) matches:
 * its outputs resume as they did before. */
export function changedSettings(recorded: OutputSettings | undefined, now: OutputSettings): string[] {
  if (!recorded) return [];
  const names = Object.keys(now) as (keyof OutputSettings)[];
  return names
    .filter((name) => JSON.stringify(recorded[name] ?? null) !== JSON.stringify(now[name] ?? null))
    .map((name) => LABELS[name]);
}

/**
 * changedSettings for one photo: a bit depth asked for on one run and left to the photo's own on the other is
 * no change when it is the photo's own (read from its header, only then).
 */
export async function changedFor(
  photo: string,
  recorded: OutputSettings | undefined,
  now: OutputSettings,
): Promise<string[]> {
  const changed = changedSettings(recorded, now);
  const asked = recorded?.bitDepth ?? now.bitDepth;
  if (
    !changed.includes(LABELS.bitDepth) ||
    (recorded?.bitDepth !== undefined && now.bitDepth !== undefined)
  ) {
    return changed;
  }
  const own = await probePhoto(photo).then(
    (probe) => probe.depth,
    () => undefined, // the photo fails on it when loaded
  );
  return own === asked ? changed.filter((name) => name !== LABELS.bitDepth) : changed;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}
