// The ship rule's rows out of eval reports, and the side-by-side table of two of them.
import { describe, expect, it } from 'vitest';
import { compareTable, reportRows, type EvalReport } from './report-rows';

const split = (name: string, wpsnr: number, unblurred: number) => ({
  split: name,
  weightedPsnr: wpsnr,
  weightedPsnrInput: 30,
  unblurredPsnrVsInput: unblurred + 5,
  unblurredPsnrVsInputPooled: unblurred,
  keptRatio: 0.14,
  keptRatioNoBlur: 0.09,
  byBlurLength: [
    { lengthPx: { from: 0 }, weightedPsnr: 31.5, weightedPsnrInput: 31 },
    { lengthPx: { from: 8 }, weightedPsnr: null, weightedPsnrInput: null },
  ],
});

describe('eval report rows', () => {
  it('reads gains as differences from the input and keeps missing numbers missing', () => {
    const rows = reportRows({ threshold: 0.45, splits: [split('val', 30.78, 43.46)] });
    expect(rows.get('threshold')).toBe(0.45);
    expect(rows.get('val gain dB')).toBeCloseTo(0.78, 9);
    expect(rows.get('val gain dB, 0+ px')).toBeCloseTo(0.5, 9);
    expect(rows.get('val gain dB, 8+ px')).toBeNull();
    expect(rows.get('val unblurred dB, pooled')).toBe(43.46);
    expect(rows.get('val unblurred dB, mean')).toBe(48.46);
    expect(rows.get('val soft background kept')).toBeNull();
  });

  it('lines up two reports under a legend, with a dash where one lacks a split', () => {
    const a: EvalReport = {
      threshold: 0.45,
      splits: [split('val', 30.78, 43.46), split('val_full', 30.26, 42.9)],
    };
    const b: EvalReport = { threshold: 0.42, splits: [split('val', 30.84, 42.81)] };
    const lines = compareTable(['shipped.json', 'candidate.json'], [a, b]).split('\n');
    const row = (name: string) =>
      lines
        .find((l) => l.startsWith(name + ' '))!
        .trim()
        .split(/\s{2,}/);
    expect(lines.slice(0, 2)).toEqual(['[1] shipped.json', '[2] candidate.json']);
    expect(row('val gain dB')).toEqual(['val gain dB', '0.780', '0.840']);
    expect(row('val_full unblurred dB, pooled')).toEqual(['val_full unblurred dB, pooled', '42.900', '-']);
    expect(row('threshold')).toEqual(['threshold', '0.450', '0.420']);
  });
});
