// Encode and write a restored photo in one step, never over the original.
import { writeFileAtomic } from './atomic-write';
import { encodePhoto, type EncodeOptions } from './encode';
import type { RgbPixels } from './types';

/** Encodes `pixels` and writes them atomically to `path`; returns the encoder's warnings. */
export async function savePhoto(path: string, pixels: RgbPixels, options: EncodeOptions): Promise<string[]> {
  const { data, warnings } = await encodePhoto(pixels, options);
  await writeFileAtomic(path, data, { protect: options.original ? [options.original] : [] });
  return warnings;
}
