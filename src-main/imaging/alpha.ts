// The original's transparency, put back on the restored pixels where the output format holds it (sharp only).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { convertSamples, uint16View } from './pixels';
import type { BitDepth } from './types';

export type AlphaSamples = Uint8Array | Uint16Array;

// libvips keeps files it opened in a cache (up to 20): the temporary file below, deleted after each encode, stayed
// open, holding its full size on disk (and on Windows the delete itself fails on an open file). No file cache.
sharp.cache({ files: 0 });

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The alpha channel of the original at `path`, upright and cut to `region` as the pixels are, at `depth`. */
export async function originalAlpha(
  path: string,
  meta: Metadata,
  region: Rect | undefined,
  depth: BitDepth,
): Promise<AlphaSamples> {
  const deep = meta.depth === 'ushort';
  let image = sharp(path, { limitInputPixels: false, failOn: 'none' }).autoOrient();
  if (region)
    image = image.extract({ left: region.x, top: region.y, width: region.width, height: region.height });
  const data = await image
    .extractChannel('alpha')
    .toColourspace(deep ? 'grey16' : 'b-w') // else 16-bit alpha comes out as 8-bit
    .raw({ depth: deep ? 'ushort' : 'uchar' })
    .toBuffer();
  return convertSamples(
    deep ? uint16View(data) : new Uint8Array(data.buffer, data.byteOffset, data.length),
    depth,
  );
}

/**
 * Encodes `rgb` (the restored pixels over the original, metadata chosen) with `alpha` as a fourth channel.
 * sharp joins channels before it composites, and composite() blends partial alpha inexactly, so the composited
 * image first goes through a temporary file in libvips' own format (lossless, every metadata field kept);
 * `finish` then chooses the metadata again and encodes.
 */
export async function encodeWithAlpha(
  rgb: Sharp,
  alpha: AlphaSamples,
  size: { width: number; height: number },
  finish: (joined: Sharp) => Promise<Buffer>,
): Promise<Buffer> {
  // A fresh name each time: libvips caches opened files by name.
  const temp = join(tmpdir(), `deblur-alpha-${randomBytes(8).toString('hex')}.v`);
  try {
    await rgb.toFile(temp);
    // joinChannel() accepts typed arrays at run time (the typings say Buffer); depth follows the array type.
    const joined = sharp(temp, { limitInputPixels: false }).joinChannel(alpha as unknown as Buffer, {
      raw: { ...size, channels: 1 },
    });
    return await finish(joined);
  } finally {
    await rm(temp, { force: true });
  }
}
