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
