// The evaluation metrics on images whose values are known exactly.
import { describe, expect, it } from 'vitest';
import {
  addCounts,
  bucketsOf,
  keptAnywhere,
  pruningCounts,
  psnr,
  psnrOf,
  rates,
  squaredError,
  ssim,
  type Rgb8,
} from './metrics';

function image(width: number, height: number, value: (i: number) => number): Rgb8 {
  return { width, height, data: Uint8Array.from({ length: width * height * 3 }, (_, i) => value(i)) };
}

describe('evaluation metrics', () => {
  const a = image(32, 32, (i) => (i * 7) % 200);

  it('PSNR of a one-level offset is 20 log10(255); identical images give the 100 dB cap', () => {
    const b = image(32, 32, (i) => ((i * 7) % 200) + 1);
    expect(psnr(a, b)).toBeCloseTo(20 * Math.log10(255), 6);
    expect(psnr(a, a)).toBe(100);
  });

  it('weighted PSNR ignores pixels of weight 0', () => {
    const b = image(32, 32, (i) => (i < 32 * 16 * 3 ? ((i * 7) % 200) + 10 : (i * 7) % 200));
    const bottom = Float32Array.from({ length: 32 * 32 }, (_, p) => (p >= 32 * 16 ? 1 : 0));
    expect(psnr(a, b, bottom)).toBe(100);
    expect(psnr(a, b)).toBeLessThan(40);
  });

  it('pooled PSNR sums squared errors: an identical image does not lift it like a per-image mean would', () => {
    const off = image(32, 32, (i) => ((i * 7) % 200) + 1);
    const errors = [squaredError(a, a), squaredError(a, off)];
    const pooled = psnrOf({
      sum: errors[0]!.sum + errors[1]!.sum,
      total: errors[0]!.total + errors[1]!.total,
    });
    expect(pooled).toBeCloseTo(20 * Math.log10(255) + 10 * Math.log10(2), 6); // half the MSE: +3 dB
    expect((psnr(a, a) + psnr(a, off)) / 2).toBeCloseTo((100 + 20 * Math.log10(255)) / 2, 6);
    expect(psnrOf({ sum: 0, total: 0 })).toBeNaN();
  });

  it('buckets values into half-open ranges, the last open-ended, leaving out empty ranges and missing values', () => {
    const lengths = [3, 7.9, 8, 31.9, 32, 77, undefined];
    const buckets = bucketsOf(lengths, (v) => v, [0, 8, 16, 32]);
    expect(buckets.map(({ from, to, items }) => [from, to, items])).toEqual([
      [0, 8, [3, 7.9]],
      [8, 16, [8]],
      [16, 32, [31.9]],
      [32, null, [32, 77]],
    ]);
  });

  it('SSIM is 1 for identical images and lower for a noisy copy', () => {
    expect(ssim(a, a)).toBeCloseTo(1, 10);
    const noisy = image(32, 32, (i) => Math.min(255, ((i * 7) % 200) + ((i * 13) % 31)));
    expect(ssim(a, noisy)).toBeLessThan(0.99);
  });

  it('pruning counts compare kept 8x8 cells with blurred pixels', () => {
    const mask = Float32Array.from({ length: 16 * 16 }, (_, p) => (p % 16 < 8 ? 1 : 0)); // left half blurred
    const map = Float32Array.from([1, 0, 1, 1]); // 2x2 grid of 8-px cells: top-right also kept
    expect(pruningCounts(mask, 16, 16, map, 2, 8)).toEqual({ tp: 128, fp: 64, fn: 0, tn: 64 });
  });

  it('rates sum counts over crops and leave precision undefined when nothing is kept', () => {
    const both = addCounts({ tp: 128, fp: 64, fn: 0, tn: 64 }, { tp: 0, fp: 0, fn: 64, tn: 192 });
    expect(rates(both)).toEqual({ precision: 128 / 192, recall: 128 / 192, accuracy: 384 / 512 });
    expect(rates({ tp: 0, fp: 0, fn: 0, tn: 5 })).toEqual({ precision: null, recall: null, accuracy: 1 });
  });

  it('keptAnywhere marks the pixels under a window that any stage kept', () => {
    // 2 maps on a 2x1 grid of 4-px cells over an 8x4 image: map 0 keeps the left cell, map 1 nothing but a
    // fraction under one half on the right (overlapping tiles that disagree).
    const maps = { count: 2, width: 2, height: 1, factor: 4, data: Float32Array.of(1, 0, 0, 0.25) };
    const kept = keptAnywhere(maps, 8, 4);
    expect(Array.from(kept.subarray(0, 8))).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect(kept.reduce((a, b) => a + b, 0)).toBe(16);
    expect(keptAnywhere({ ...maps, data: Float32Array.of(0, 0, 0, 0.5) }, 8, 4)[7]).toBe(1);
  });
});
