// Decode a photo file to upright RGB pixels in its own colour space (sharp only).
import sharp, { type Metadata } from 'sharp';
import { ImageError } from './errors';
import { CAMERA_RAW_REFUSAL, isCameraRaw } from './formats';
import { uint16View } from './pixels';
import { assertReadable, readFailure } from './readable';
import type { DecodedPhoto, PhotoFormat } from './types';

/** sharp's own default (0x3FFF squared, ~268 MP), stated here so the guard is explicit. */
export const DEFAULT_PIXEL_LIMIT = 16383 * 16383;

export interface DecodeOptions {
  /** Refuse images with more pixels than this (decompression bombs). */
  pixelLimit?: number;
  /** Decode only this rectangle of the upright photo (the loupe); it must lie inside the photo. */
  region?: { x: number; y: number; width: number; height: number } | undefined;
}

/** What sharp's metadata says about a file, reduced to what decoding needs. */
export interface Probe {
  format: PhotoFormat;
  depth: 8 | 16;
  /** Set when the photo is decoded converted to sRGB (see foreignSpace). */
  foreign: ForeignSpace | undefined;
  hasAlpha: boolean;
  orientation: number;
  icc: Buffer | undefined;
}

export async function decodePhoto(path: string, options: DecodeOptions = {}): Promise<DecodedPhoto> {
  const pixelLimit = options.pixelLimit ?? DEFAULT_PIXEL_LIMIT;
  const probe = await probePhoto(path, pixelLimit);
  try {
    let image = sharp(path, { limitInputPixels: pixelLimit, failOn: 'error' }).autoOrient().removeAlpha();
    const { region } = options;
    if (region)
      image = image.extract({ left: region.x, top: region.y, width: region.width, height: region.height });
    // Stay in the source colour space unless its profile cannot describe RGB pixels (foreignSpace).
    if (!probe.foreign) image = image.keepIccProfile();
    if (probe.depth === 8) image = image.toColourspace('srgb').raw();
    else if (probe.foreign === 'greyscale') {
      // sharp skips the input profile of 16-bit grey; an output profile transform goes through it.
      image = image.toColourspace('grey16').withIccProfile('srgb').raw({ depth: 'ushort' });
    } else image = image.pipelineColourspace('rgb16').toColourspace('rgb16').raw({ depth: 'ushort' });
    const { data, info } = await image.toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      channels: 3,
      depth: probe.depth,
      data: probe.depth === 16 ? uint16View(data) : new Uint8Array(data.buffer, data.byteOffset, data.length),
      format: probe.format,
      hasAlpha: probe.hasAlpha,
      orientation: probe.orientation,
      ...(probe.icc && !probe.foreign ? { icc: probe.icc } : {}),
      sourcePath: path,
    };
  } catch (error) {
    throw await readFailure(path, error);
  }
}

/** Reads the header only: format, depth and size, so limits are checked before any pixel is decoded. */
export async function probePhoto(path: string, pixelLimit = DEFAULT_PIXEL_LIMIT): Promise<Probe> {
  await assertReadable(path); // a pipe or a device is never read; a file we may not open is told as denied
  if (isCameraRaw(path)) {
    throw new ImageError('unsupported', path, `${path}: ${CAMERA_RAW_REFUSAL}`);
  }
  let meta: Metadata;
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw await readFailure(path, error);
  }
  const format = photoFormat(meta);
  if (!format) {
    const name = meta.format === 'heif' ? `HEIF (${meta.compression ?? 'unknown'})` : meta.format;
    throw new ImageError(
      'unsupported',
      path,
      `${path}: ${name} files are not supported (JPEG, PNG, TIFF, WebP, AVIF are)`,
    );
  }
  if (meta.depth !== 'uchar' && meta.depth !== 'ushort') {
    throw new ImageError(
      'unsupported',
      path,
      `${path}: ${meta.depth} samples are not supported (8 or 16-bit are)`,
    );
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > pixelLimit) {
    const mp = (n: number) => `${(n / 1e6).toFixed(1)} MP`;
    throw new ImageError(
      'too-large',
      path,
      `${path}: ${meta.width}x${meta.height} (${mp(pixels)}) is over the ${mp(pixelLimit)} limit`,
    );
  }
  return {
    format,
    depth: meta.depth === 'ushort' ? 16 : 8,
    foreign: foreignSpace(meta),
    hasAlpha: meta.hasAlpha ?? false,
    orientation: meta.orientation ?? 1,
    icc: meta.icc,
  };
}

export type ForeignSpace = 'CMYK' | 'greyscale';

/** A colour space whose profile cannot describe the RGB pixels the app works on: CMYK, or grey with a grey ICC
 * profile (kept, it would be dropped from RGB output and the grey values read as sRGB). Such photos are
 * converted to sRGB through their profile. Grey without a profile is already sRGB's grey. */
export function foreignSpace(meta: Pick<Metadata, 'space' | 'icc'>): ForeignSpace | undefined {
  if (meta.space === 'cmyk') return 'CMYK';
  if ((meta.space === 'b-w' || meta.space === 'grey16') && meta.icc) return 'greyscale';
  return undefined;
}

function photoFormat(meta: Metadata): PhotoFormat | undefined {
  switch (meta.format) {
    case 'jpeg':
    case 'png':
    case 'tiff':
    case 'webp':
      return meta.format;
    case 'heif':
      return meta.compression === 'av1' ? 'avif' : undefined;
    default:
      return undefined;
  }
}
