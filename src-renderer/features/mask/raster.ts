// The mask's pixels at the photo's full size, one byte each (values.ts), and the brush that paints them.
//
// Hardness and the three-level contract: the file format (and the model's guide) has only force, protect and auto,
// so a soft edge cannot be a grey ramp (a grey would read as auto, or snap to one level). Instead the stroke's
// *coverage* fades: it is 1 inside the hard core (hardness x radius) and falls linearly to 0 at the radius, and a
// pixel takes the tool's value when its coverage beats a 4x4 ordered-dither threshold. So the share of pixels the
// stroke sets fades toward the edge while every pixel stays one of the three values. What the model makes of it:
// a window with any forced pixel is forced, so a soft force edge still forces the windows its fringe reaches; a
// window is protected only when all of it is, and protected pixels are put back per pixel, so a soft protect edge
// blends original and restored pixels in a fine pattern that thins out toward the edge (a feathered boundary).
// Painting is "set where coverage > threshold", so repeating a dab changes nothing and the dabs of one stroke
// union into one fade (a stroke over itself does not build up).
import { clip, type Rect } from './rect';
import { AUTO, FORCE, PROTECT } from './values';

export interface Point {
  x: number;
  y: number;
}

const ALL_AUTO = AUTO * 0x01010101;
const INVERT = Uint8Array.from({ length: 256 }, (_, v) =>
  v === FORCE ? PROTECT : v === PROTECT ? FORCE : v,
);

/** Bayer 4x4 thresholds in (0, 1), indexed by (y & 3) * 4 + (x & 3). */
const DITHER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map((b) => (b + 0.5) / 16);

export class MaskRaster {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height).fill(AUTO);
  }

  /**
   * Paints the capsule from `a` to `b` (a dab when they are equal) of `radius` photo pixels with `value`.
   * `before(y0, y1)` runs before rows y0..y1-1 may change (the stroke keeps their old content for undo).
   * Returns the rectangle of pixels that changed, undefined when none did.
   */
  paintSegment(
    a: Point,
    b: Point,
    radius: number,
    hardness: number,
    value: number,
    before?: (y0: number, y1: number) => void,
  ): Rect | undefined {
    const r = Math.max(0.5, radius);
    const box = clip(
      {
        x: Math.min(a.x, b.x) - r,
        y: Math.min(a.y, b.y) - r,
        width: Math.abs(b.x - a.x) + 2 * r,
        height: Math.abs(b.y - a.y) + 2 * r,
      },
      this.width,
      this.height,
    );
    if (!box) return undefined;
    before?.(box.y, box.y + box.height);
    const core = r * Math.min(1, Math.max(0, hardness));
    const r2 = r * r;
    const core2 = core * core;
    const fade = r - core;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const { data, width } = this;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let y = box.y; y < box.y + box.height; y++) {
      const py = y + 0.5 - a.y;
      const row = y * width;
      const dither = (y & 3) * 4;
      for (let x = box.x; x < box.x + box.width; x++) {
        const px = x + 0.5 - a.x;
        const t = len2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / len2)) : 0;
        const ex = px - t * dx;
        const ey = py - t * dy;
        const d2 = ex * ex + ey * ey;
        if (d2 >= r2) continue;
        if (d2 > core2 && (r - Math.sqrt(d2)) / fade <= DITHER[dither + (x & 3)]!) continue;
        if (data[row + x] === value) continue;
        data[row + x] = value;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
    return x1 >= x0 ? { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } : undefined;
  }

  fill(value: number): void {
    this.data.fill(value);
  }

  /** Force <-> protect; auto stays auto (all-auto stretches are skipped a word at a time). */
  invert(): void {
    const { data } = this;
    const words = this.words();
    const start = words ? words.length * 4 : 0;
    if (words) {
      for (let w = 0; w < words.length; w++) {
        if (words[w] === ALL_AUTO) continue;
        for (let i = w * 4; i < w * 4 + 4; i++) data[i] = INVERT[data[i]!]!;
      }
    }
    for (let i = start; i < data.length; i++) data[i] = INVERT[data[i]!]!;
  }

  /** Copies `values` (already snapped to the three levels) over the whole mask. */
  set(values: Uint8Array): void {
    this.data.set(values);
  }

  /** True when every pixel is auto (the mask says nothing). */
  isAuto(): boolean {
    const { data } = this;
    const words = this.words();
    const start = words ? words.length * 4 : 0;
    if (words) for (let i = 0; i < words.length; i++) if (words[i] !== ALL_AUTO) return false;
    for (let i = start; i < data.length; i++) if (data[i] !== AUTO) return false;
    return true;
  }

  /** The smallest rectangle holding every pixel of `values` (default: this mask) that is not auto. */
  contentRect(values: Uint8Array = this.data): Rect | undefined {
    const { width, height } = this;
    const words =
      values.byteOffset % 4 === 0
        ? new Uint32Array(values.buffer, values.byteOffset, values.length >> 2)
        : undefined;
    let x0 = width;
    let x1 = -1;
    let y0 = -1;
    let y1 = -1;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      const end = row + width;
      let i = row;
      // Forward to the row's first non-auto pixel (a word at a time where aligned) ...
      while (i < end && values[i] === AUTO) {
        i++;
        if (words && !(i & 3)) while (i + 4 <= end && words[i >> 2] === ALL_AUTO) i += 4;
      }
      if (i === end) continue;
      // ... and back from its end to the last one.
      let j = end - 1;
      while (values[j] === AUTO) j--;
      if (y0 < 0) y0 = y;
      y1 = y;
      x0 = Math.min(x0, i - row);
      x1 = Math.max(x1, j - row);
    }
    return y0 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  }

  /** The whole words of the pixels (four at a time), when the buffer is aligned for it. */
  private words(): Uint32Array | undefined {
    const { data } = this;
    return data.byteOffset % 4 === 0
      ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2)
      : undefined;
  }
}
