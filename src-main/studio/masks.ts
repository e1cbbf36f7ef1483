// The editor's masks on disk and in restores: the sidecar `<photo file name>.mask.png` next to the photo (load,
// save atomically, remove when nothing is painted) and the engine's guide from the editor's mask or the sidecar.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { GrayImage, Region, SaveMaskResult } from '../contract';
import {
  FORCE_MIN,
  ImageError,
  PROTECT_MAX,
  cropSamples,
  loadMask,
  maskToGuide,
  saveMask,
  sidecarPath,
  type Mask,
} from '../imaging';
import { ApiFailure } from './errors';
import type { OpenedPhoto } from './library';

export function hasSidecar(photo: OpenedPhoto): boolean {
  return existsSync(sidecarPath(photo.path));
}

/** The sidecar's pixels, undefined when there is none; a sidecar of another size or a damaged PNG throws. */
export async function loadSidecar(photo: OpenedPhoto): Promise<GrayImage | undefined> {
  const path = sidecarPath(photo.path);
  if (!existsSync(path)) return undefined;
  return loadMask(path, photo.summary);
}

/** Writes the sidecar next to the photo (never over the photo), or removes it when nothing is painted. */
export async function saveSidecar(photo: OpenedPhoto, mask: GrayImage | undefined): Promise<SaveMaskResult> {
  if (mask) assertPhotoSize(photo, mask);
  const path = sidecarPath(photo.path);
  try {
    if (!mask || isAllAuto(mask)) {
      await rm(path, { force: true });
      return { file: undefined };
    }
    await saveMask(path, mask, [photo.path]);
    return { file: basename(path) };
  } catch (error) {
    throw folderError(dirname(path), error);
  }
}

/** True when no value forces or protects (the editor's 128, or anything in 64..191). */
export function isAllAuto(mask: GrayImage): boolean {
  return mask.data.every((value) => value > PROTECT_MAX && value < FORCE_MIN);
}

/**
 * The engine's guide for a restore of `area` (the whole photo, or a loupe region): from the editor's mask when
 * the request has one, else from the sidecar when it exists, else undefined (all auto).
 */
export async function guideFor(
  photo: OpenedPhoto,
  requested: GrayImage | undefined,
  area: Region,
): Promise<Float32Array | undefined> {
  let mask: Mask | undefined;
  if (requested) {
    assertPhotoSize(photo, requested);
    mask = requested;
  } else {
    mask = await loadSidecar(photo);
  }
  if (!mask) return undefined;
  const whole = area.x === 0 && area.y === 0 && area.width === mask.width && area.height === mask.height;
  return maskToGuide(whole ? mask : { ...area, data: cropSamples(mask.data, mask.width, 1, area) });
}

function assertPhotoSize(photo: OpenedPhoto, mask: GrayImage): void {
  const { width, height } = photo.summary;
  if (mask.width !== width || mask.height !== height) {
    throw new ApiFailure(
      'invalid-request',
      `the mask is ${mask.width}x${mask.height} but the photo is ${width}x${height}: masks must have the photo's size`,
    );
  }
}

/** A failed write or removal next to the photo, in words that name the folder. */
function folderError(folder: string, error: unknown): Error {
  if (error instanceof ImageError && error.code === 'protected') return error;
  const cause = error instanceof ImageError ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ApiFailure('failed', `could not save the mask: the folder ${folder} is read-only`);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiFailure('failed', `could not save the mask in ${folder} (${detail})`);
}
