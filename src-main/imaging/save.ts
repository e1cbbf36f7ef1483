// Encode and write a restored photo in one step, never over the original.
import { writeFileAtomic } from './atomic-write';
import { encodePhoto, type EncodeOptions } from './encode';
import type { RgbPixels } from './types';

/** Encodes `pixels` and writes them atomically to `path`, never over the original or a `protect`ed file;
 * returns the encoder's warnings. */
export async function savePhoto(
  path: string,
  pixels: RgbPixels,
  options: EncodeOptions & { protect?: readonly string[] },
): Promise<string[]> {
  const { protect = [], ...encode } = options;
  const { data, warnings } = await encodePhoto(pixels, { ...encode, path });
  await writeFileAtomic(path, data, {
    protect: [...(options.original ? [options.original] : []), ...protect],
  });
  return warnings;
}
