// Confidence and decision maps (float arrays in [0,1]) saved as 8-bit grayscale PNGs.
import sharp from 'sharp';
import { writeFileAtomic } from './atomic-write';

export interface FloatMap {
  width: number;
  height: number;
  /** Row-major values, nominally in [0,1]; outside values are clamped. */
  data: Float32Array;
}

/** Maps [0,1] to 0..255, rounding; NaN becomes 0. */
export function mapToGray(map: FloatMap): Uint8Array {
  if (map.data.length !== map.width * map.height) {
    throw new RangeError(`map has ${map.data.length} values, expected ${map.width}x${map.height}`);
  }
  const gray = new Uint8Array(map.data.length);
  for (let i = 0; i < gray.length; i++) {
    const value = map.data[i]!;
    gray[i] = Number.isNaN(value) ? 0 : Math.round(Math.min(1, Math.max(0, value)) * 255);
  }
  return gray;
}

export async function encodeMapPng(map: FloatMap): Promise<Buffer> {
  const { width, height } = map;
  return sharp(mapToGray(map), { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

export async function saveMap(path: string, map: FloatMap, protect: readonly string[] = []): Promise<void> {
  await writeFileAtomic(path, await encodeMapPng(map), { protect });
}
