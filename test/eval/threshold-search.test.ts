// The calibration search on measured-looking curves: the lowest grid tau that meets the goal, in few trials.
import { describe, expect, it } from 'vitest';
import { searchThreshold } from './threshold-search';

// Kept ratio on crops without blur as tau rises (the shape measured on model 1.6.0: 28 % at 0.5, 7 % at 0.6).
const curve = (tau: number) => ({ threshold: tau, keptRatioNoBlur: Math.max(0, 0.28 - 2.1 * (tau - 0.5)) });
// Unblurred region's pooled PSNR as tau rises (the shape measured on 1.17.0: 42.3 dB at 0.42, 43.3 at 0.45).
const unblurred = (tau: number) => ({ threshold: tau, unblurredPooled: 42.3 + (100 / 3) * (tau - 0.42) });
const grid = { from: 0.4, to: 0.8, step: 0.01 };
const kept = (atMost: number) => ({ value: (t: { keptRatioNoBlur: number }) => t.keptRatioNoBlur, atMost });

describe('threshold search', () => {
  it('finds the lowest grid tau within a kept-ratio target by bisection', async () => {
    const result = await searchThreshold(async (t: number) => curve(t), kept(0.13), grid);
    // 0.28 - 2.1 (tau - 0.5) <= 0.13  <=>  tau >= 0.5714...
    expect(result.threshold).toBe(0.58);
    expect(result.trials.length).toBeLessThanOrEqual(8); // 41 grid points
    // Reported by rising tau: each trial's threshold above the one before.
    const taus = result.trials.map((t) => t.threshold);
    expect(taus.length).toBeGreaterThan(2);
    for (let i = 1; i < taus.length; i++) expect(taus[i]).toBeGreaterThan(taus[i - 1]!);
    expect(result.notMonotone).toBe(false);
  });

  it('finds the lowest grid tau whose unblurred PSNR reaches a floor (a value that rises with tau)', async () => {
    const goal = { value: (t: { unblurredPooled: number }) => t.unblurredPooled, atLeast: 43.27 };
    const result = await searchThreshold(async (t: number) => unblurred(t), goal, grid);
    // 42.3 + 33.3 (tau - 0.42) >= 43.27  <=>  tau >= 0.4491
    expect(result.threshold).toBe(0.45);
    expect(result.notMonotone).toBe(false);
    // The same curve read with the kept-ratio direction (no tau meets it, so both ends are tried) is out of order.
    const wrongWay = { value: (t: { unblurredPooled: number }) => t.unblurredPooled, atMost: 40 };
    expect((await searchThreshold(async (t: number) => unblurred(t), wrongWay, grid)).notMonotone).toBe(true);
  });

  it('says when the lowest tau already meets the goal, or when none does', async () => {
    expect((await searchThreshold(async (t: number) => curve(t), kept(0.5), grid)).threshold).toBe(0.4);
    const none = await searchThreshold(
      async (t: number) => ({ threshold: t, keptRatioNoBlur: 0.3 }),
      kept(0.1),
      grid,
    );
    expect(none.threshold).toBeUndefined();
    expect(none.trials).toHaveLength(2);
  });

  it('reports measurements that do not fall as tau rises', async () => {
    const bumpy = (t: number) => ({
      threshold: t,
      keptRatioNoBlur: t === 0.6 ? 0.5 : curve(t).keptRatioNoBlur,
    });
    expect((await searchThreshold(async (t: number) => bumpy(t), kept(0.13), grid)).notMonotone).toBe(true);
    await expect(
      searchThreshold(async (t: number) => curve(t), kept(0.1), { ...grid, from: 0.9 }),
    ).rejects.toThrow(RangeError);
  });
});
