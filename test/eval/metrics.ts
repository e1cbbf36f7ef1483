// Image-quality metrics of the paper (docs: lmdvit-architecture.md, "Metrics") on 8-bit interleaved RGB:
// PSNR, SSIM (11x11 Gaussian window, sigma 1.5), their blur-mask-weighted versions, pruning precision/recall.

export interface Rgb8 {
  width: number;
  height: number;
  data: Uint8Array;
}

const WINDOW = gaussian(11, 1.5);

function gaussian(size: number, sigma: number): Float64Array {
  const w = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const t = i - (size - 1) / 2;
    w[i] = Math.exp(-(t * t) / (2 * sigma * sigma));
    sum += w[i]!;
  }
  return w.map((v) => v / sum);
}

/** Separable 'valid' Gaussian filter of a single-channel plane: (w-10) x (h-10). */
function filter(plane: Float64Array, w: number, h: number): Float64Array {
  const k = WINDOW.length;
  const ow = w - k + 1;
  const oh = h - k + 1;
  const rows = new Float64Array(ow * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += WINDOW[i]! * plane[y * w + x + i]!;
      rows[y * ow + x] = s;
    }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += WINDOW[i]! * rows[(y + i) * ow + x]!;
      out[y * ow + x] = s;
    }
  return out;
}

/** SSIM map averaged over channels, on the valid area (each side 5 px shorter). */
export function ssimMap(a: Rgb8, b: Rgb8): { map: Float64Array; width: number; height: number } {
  const { width: w, height: h } = a;
  const ow = w - 10;
  const oh = h - 10;
  const map = new Float64Array(ow * oh);
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  for (let c = 0; c < 3; c++) {
    const x = new Float64Array(w * h);
    const y = new Float64Array(w * h);
    for (let i = 0; i < w * h; i++) {
      x[i] = a.data[i * 3 + c]!;
      y[i] = b.data[i * 3 + c]!;
    }
    const mx = filter(x, w, h);
    const my = filter(y, w, h);
    const xx = filter(
      x.map((v) => v * v),
      w,
      h,
    );
    const yy = filter(
      y.map((v) => v * v),
      w,
      h,
    );
    const xy = filter(
      x.map((v, i) => v * y[i]!),
      w,
      h,
    );
    for (let i = 0; i < ow * oh; i++) {
      const sx = xx[i]! - mx[i]! ** 2;
      const sy = yy[i]! - my[i]! ** 2;
      const sxy = xy[i]! - mx[i]! * my[i]!;
      const s =
        ((2 * mx[i]! * my[i]! + c1) * (2 * sxy + c2)) / ((mx[i]! ** 2 + my[i]! ** 2 + c1) * (sx + sy + c2));
      map[i]! += s / 3;
    }
  }
  return { map, width: ow, height: oh };
}

/** Mean of the SSIM map, weighted by `weights` (image-size, 0..1) when given. */
export function ssim(a: Rgb8, b: Rgb8, weights?: Float32Array): number {
  const { map, width, height } = ssimMap(a, b);
  let sum = 0;
  let total = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const wgt = weights ? weights[(y + 5) * a.width + x + 5]! : 1;
      sum += map[y * width + x]! * wgt;
      total += wgt;
    }
  return total ? sum / total : NaN;
}

/** Weighted sum of squared differences (values in [0, 1]) and the weight it covers (3 per pixel). */
export interface SquaredError {
  sum: number;
  total: number;
}

export function squaredError(a: Rgb8, b: Rgb8, weights?: Float32Array): SquaredError {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    const wgt = weights ? weights[i]! : 1;
    if (!wgt) continue;
    for (let c = 0; c < 3; c++) {
      const d = (a.data[i * 3 + c]! - b.data[i * 3 + c]!) / 255;
      sum += wgt * d * d;
    }
    total += 3 * wgt;
  }
  return { sum, total };
}

/** PSNR of an accumulated squared error: NaN when it covers nothing, capped at 100 dB when it is 0. Summing
 * errors over images before this gives the pooled PSNR, which near-identical images cannot pull up. */
export function psnrOf({ sum, total }: SquaredError): number {
  if (!total) return NaN;
  const mse = sum / total;
  return mse === 0 ? 100 : 10 * Math.log10(1 / mse);
}

/** PSNR over the pixels where weights > 0 (weighted MSE), all pixels when weights is absent. */
export function psnr(a: Rgb8, b: Rgb8, weights?: Float32Array): number {
  return psnrOf(squaredError(a, b, weights));
}

/** Pixel counts of kept windows (a decision map on a grid of `factor`-px cells) against the blur mask. */
export function pruningCounts(
  mask: Float32Array,
  w: number,
  h: number,
  map: Float32Array,
  gw: number,
  factor: number,
) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const kept = map[Math.floor(y / factor) * gw + Math.floor(x / factor)]! >= 0.5;
      const blurred = mask[y * w + x]! > 0.5;
      if (kept && blurred) tp++;
      else if (kept) fp++;
      else if (blurred) fn++;
      else tn++;
    }
  return { tp, fp, fn, tn };
}

export type Counts = ReturnType<typeof pruningCounts>;

/** Per pixel, 1 where any of `count` planar decision maps (grid `gw` x `gh`, cells of `factor` px) kept the
 * window over it (value >= 0.5), else 0. */
export function keptAnywhere(
  maps: { count: number; width: number; height: number; factor: number; data: Float32Array },
  w: number,
  h: number,
): Float32Array {
  const cells = maps.width * maps.height;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const c = Math.floor(y / maps.factor) * maps.width + Math.floor(x / maps.factor);
      for (let k = 0; k < maps.count && !out[y * w + x]; k++)
        if (maps.data[k * cells + c]! >= 0.5) out[y * w + x] = 1;
    }
  return out;
}

export const addCounts = (a: Counts, b: Counts): Counts => ({
  tp: a.tp + b.tp,
  fp: a.fp + b.fp,
  fn: a.fn + b.fn,
  tn: a.tn + b.tn,
});

/** Precision, recall and accuracy of kept windows against blurred pixels (null where undefined). */
export function rates(c: Counts) {
  return {
    precision: c.tp + c.fp ? c.tp / (c.tp + c.fp) : null,
    recall: c.tp + c.fn ? c.tp / (c.tp + c.fn) : null,
    accuracy: (c.tp + c.tn) / (c.tp + c.fp + c.fn + c.tn),
  };
}

/** Half-open ranges [edges[i], edges[i + 1]) of a value (the last one open-ended); items without one are left out. */
export function bucketsOf<T>(items: T[], value: (item: T) => number | undefined, edges: number[]) {
  return edges
    .map((from, i) => {
      const to = edges[i + 1];
      const inside = items.filter((item) => {
        const v = value(item);
        return v !== undefined && v >= from && (to === undefined || v < to);
      });
      return { from, to: to ?? null, items: inside };
    })
    .filter((bucket) => bucket.items.length > 0);
}
