// The three steps of one photo in a batch, kept apart so they can overlap: load (decode + mask, sharp),
// infer (the engine's worker), and save (encode with the original's metadata, atomic write, checksum).
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  ImageError,
  assertFitsFormat,
  decodePhoto,
  encodePhoto,
  loadMask,
  maskToGuide,
  writeFileAtomic,
  type BitDepth,
  type DecodedPhoto,
} from '../imaging';
import type { RestoreResult } from '../inference';
import type { PlannedPhoto } from './types';

export type Loaded =
  | { ok: true; photo: DecodedPhoto; guide: Float32Array | undefined }
  | { ok: false; unreadable: boolean; reason: string };

/** Files that are no photo after all (not an image, damaged, empty) are skipped, not failed. A photo over the
 * pixel limit, or one we may not read (`denied`), is a photo that was not restored: it fails, with its reason. */
const UNREADABLE = new Set(['not-found', 'unsupported', 'corrupt']);

/** Whether an error reading a photo means it is no photo after all (skipped), not a failure (the scan too). */
export function isUnreadable(error: unknown): boolean {
  return error instanceof ImageError && UNREADABLE.has(error.code);
}

/** Never rejects: a photo that cannot be loaded becomes a reason. */
export async function loadPhoto(item: PlannedPhoto): Promise<Loaded> {
  let photo: DecodedPhoto;
  try {
    photo = await decodePhoto(item.input);
  } catch (error) {
    return { ok: false, unreadable: isUnreadable(error), reason: message(error, item.input) };
  }
  try {
    assertFitsFormat(item.format, photo.width, photo.height, item.output);
  } catch (error) {
    return { ok: false, unreadable: false, reason: message(error, item.output) };
  }
  try {
    const guide = item.mask ? maskToGuide(await loadMask(item.mask, photo)) : undefined;
    return { ok: true, photo, guide };
  } catch (error) {
    return { ok: false, unreadable: false, reason: `mask: ${message(error, item.input)}` };
  }
}

export interface Saved {
  sha256: string;
  bytes: number;
  warnings: string[];
}

export async function savePhoto(
  item: PlannedPhoto,
  result: RestoreResult,
  depth: BitDepth,
  options: { quality?: number | undefined; bitDepth?: BitDepth | undefined },
): Promise<Saved> {
  const pixels = { ...result.pixels, channels: 3 as const, depth };
  const { data, warnings } = await encodePhoto(pixels, {
    format: item.format,
    quality: options.quality,
    depth: options.bitDepth,
    original: item.input,
    path: item.output,
  });
  await mkdir(dirname(item.output), { recursive: true });
  // noClobber: a file made at a new output's path while the batch ran (an export, another program) is kept.
  await writeFileAtomic(item.output, data, { protect: [item.input], noClobber: !item.replaces });
  return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length, warnings };
}

/** The mean of the model's per-pixel blur confidence. */
export function meanOf(values: Float32Array | undefined): number {
  if (!values || values.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** The error's message on one line, without a leading `<path>: ` (reports already name the photo). */
export function message(error: unknown, path?: string): string {
  let text = error instanceof Error ? error.message : String(error);
  text = [...new Set(text.split('\n').map((line) => line.trim()))].filter(Boolean).join('; ');
  return path && text.startsWith(`${path}: `) ? text.slice(path.length + 2) : text;
}
