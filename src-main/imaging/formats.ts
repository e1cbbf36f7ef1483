// What each output format can hold, and file-extension lookups.
import { extname } from 'node:path';
import { ImageError } from './errors';
import type { BitDepth, PhotoFormat } from './types';

interface FormatFacts {
  extensions: readonly string[];
  maxDepth: BitDepth;
  /** sharp can write EXIF into it (it cannot for TIFF). */
  holdsExif: boolean;
  /** It can hold an alpha channel (transparency). */
  holdsAlpha: boolean;
  lossy: boolean;
  /** The widest or tallest image the encoder writes (libjpeg, libwebp; sharp's own HEIF check for AVIF). */
  maxSide: number;
}

export const FORMAT_FACTS: Record<PhotoFormat, FormatFacts> = {
  jpeg: {
    extensions: ['.jpg', '.jpeg'],
    maxDepth: 8,
    holdsExif: true,
    holdsAlpha: false,
    lossy: true,
    maxSide: 65500,
  },
  png: {
    extensions: ['.png'],
    maxDepth: 16,
    holdsExif: true,
    holdsAlpha: true,
    lossy: false,
    maxSide: 2 ** 31 - 1,
  },
  tiff: {
    extensions: ['.tif', '.tiff'],
    maxDepth: 16,
    holdsExif: false,
    holdsAlpha: true,
    lossy: false,
    maxSide: 2 ** 32 - 1,
  },
  webp: {
    extensions: ['.webp'],
    maxDepth: 8,
    holdsExif: true,
    holdsAlpha: true,
    lossy: true,
    maxSide: 16383,
  },
  avif: {
    extensions: ['.avif'],
    maxDepth: 8,
    holdsExif: true,
    holdsAlpha: true,
    lossy: true,
    maxSide: 16384,
  },
};

/** Throws ImageError 'too-large' naming `path` (the output) when `format` cannot hold a width x height image.
 * Run it before inference, so such a photo fails at once instead of after the work. */
export function assertFitsFormat(format: PhotoFormat, width: number, height: number, path: string): void {
  const max = FORMAT_FACTS[format].maxSide;
  if (width <= max && height <= max) return;
  throw new ImageError(
    'too-large',
    path,
    `${path}: ${width}x${height} is too large for ${format.toUpperCase()} (at most ${max} pixels a side); ` +
      'PNG or TIFF can hold it',
  );
}

/** The photo format a file name implies, or undefined. */
export function formatFromPath(path: string): PhotoFormat | undefined {
  const ext = extname(path).toLowerCase();
  const entry = Object.entries(FORMAT_FACTS).find(([, facts]) => facts.extensions.includes(ext));
  return entry?.[0] as PhotoFormat | undefined;
}

/** Camera raw files. Many are TIFF inside, and sharp would read their first image: the small embedded preview,
 * not the photo. They are refused by name, with what to do instead. */
const CAMERA_RAW_EXTENSIONS = new Set(
  '3fr ari arw bay cr2 cr3 crw dcr dng erf fff iiq k25 kdc mef mos mrw nef nrw orf pef raf raw rw2 rwl sr2 srf srw x3f'
    .split(' ')
    .map((ext) => `.${ext}`),
);

export function isCameraRaw(path: string): boolean {
  return CAMERA_RAW_EXTENSIONS.has(extname(path).toLowerCase());
}

export const CAMERA_RAW_REFUSAL =
  'camera raw files are not supported: export the photo from your raw developer as TIFF (16-bit), PNG or JPEG first';

/** Why a file is not taken as a photo, told by its name (a camera raw file gets what to do instead). */
export function notPhotoReason(path: string): string {
  return isCameraRaw(path) ? CAMERA_RAW_REFUSAL : 'not a photo (JPEG, PNG, TIFF, WebP or AVIF)';
}
