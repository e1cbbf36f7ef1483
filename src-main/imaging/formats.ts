// What each output format can hold, and file-extension lookups.
import { extname } from 'node:path';
import type { BitDepth, PhotoFormat } from './types';

interface FormatFacts {
  extensions: readonly string[];
  maxDepth: BitDepth;
  /** sharp can write EXIF into it (it cannot for TIFF). */
  holdsExif: boolean;
  lossy: boolean;
}

export const FORMAT_FACTS: Record<PhotoFormat, FormatFacts> = {
  jpeg: { extensions: ['.jpg', '.jpeg'], maxDepth: 8, holdsExif: true, lossy: true },
  png: { extensions: ['.png'], maxDepth: 16, holdsExif: true, lossy: false },
  tiff: { extensions: ['.tif', '.tiff'], maxDepth: 16, holdsExif: false, lossy: false },
  webp: { extensions: ['.webp'], maxDepth: 8, holdsExif: true, lossy: true },
  avif: { extensions: ['.avif'], maxDepth: 8, holdsExif: true, lossy: true },
};

/** The photo format a file name implies, or undefined. */
export function formatFromPath(path: string): PhotoFormat | undefined {
  const ext = extname(path).toLowerCase();
  const entry = Object.entries(FORMAT_FACTS).find(([, facts]) => facts.extensions.includes(ext));
  return entry?.[0] as PhotoFormat | undefined;
}
