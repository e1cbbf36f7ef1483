// Run-length copies of a rectangle of the mask: what an undo step keeps of the pixels before and after it. Masks
// are three-level blobs, so a rectangle compresses to a few runs per row (a soft edge's dither costs more).
import type { Rect } from './rect';

export interface Runs {
  rect: Rect;
  /** Run lengths and values over the rectangle read row by row (a run may go on into the next row). */
  lengths: Uint32Array;
  values: Uint8Array;
}

/** Bytes a Runs holds (for the history's memory budget). */
export function sizeOf(runs: Runs): number {
  return runs.lengths.byteLength + runs.values.byteLength;
}

export function encode(data: Uint8Array, width: number, rect: Rect): Runs {
  let lengths = new Uint32Array(256);
  let values = new Uint8Array(256);
  let count = 0;
  let current = -1;
  let length = 0;
  // Long runs are skipped four bytes at a time through a word view (aligned: the mask owns its buffer).
  const words =
    data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : undefined;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const end = y * width + rect.x + rect.width;
    let i = y * width + rect.x;
    while (i < end) {
      const v = data[i]!;
      if (v !== current) {
        if (length) {
          if (count === lengths.length) [lengths, values] = grow(lengths, values);
          lengths[count] = length;
          values[count++] = current;
        }
        current = v;
        length = 0;
      }
      let j = i + 1;
      if (words) {
        while (j < end && j & 3 && data[j] === v) j++;
        const word = (v * 0x01010101) >>> 0;
        if (!(j & 3)) while (j + 4 <= end && words[j >> 2] === word) j += 4;
      }
      while (j < end && data[j] === v) j++;
      length += j - i;
      i = j;
    }
  }
  if (length) {
    if (count === lengths.length) [lengths, values] = grow(lengths, values);
    lengths[count] = length;
    values[count++] = current;
  }
  return { rect, lengths: lengths.slice(0, count), values: values.slice(0, count) };
}

/** Writes the runs back where they were taken. */
export function decode(data: Uint8Array, width: number, runs: Runs): void {
  const { rect, lengths, values } = runs;
  let run = 0;
  let left = lengths[0] ?? 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let i = y * width + rect.x;
    let todo = rect.width;
    while (todo > 0) {
      const n = Math.min(left, todo);
      data.fill(values[run]!, i, i + n);
      i += n;
      todo -= n;
      left -= n;
      if (left === 0) left = lengths[++run] ?? 0;
    }
  }
}

function grow(lengths: Uint32Array, values: Uint8Array): [Uint32Array<ArrayBuffer>, Uint8Array<ArrayBuffer>] {
  const l = new Uint32Array(lengths.length * 2);
  const v = new Uint8Array(values.length * 2);
  l.set(lengths);
  v.set(values);
  return [l, v];
}
