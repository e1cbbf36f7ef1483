// The calibration search on measured-looking curves: the lowest grid tau within the target, in few trials.
import { describe, expect, it } from 'vitest';
import { searchThreshold } from './threshold-search';

// Kept ratio on crops without blur as tau rises (the shape measured on model 1.6.0: 28 % at 0.5, 7 % at 0.6).
const curve = (tau: number) => ({ threshold: tau, keptRatioNoBlur: Math.max(0, 0.28 - 2.1 * (tau - 0.5)) });
const grid = { from: 0.4, to: 0.8, step: 0.01 };

describe('threshold search', () => {
  it('finds the lowest grid tau within the target by bisection', async () => {
    const result = await searchThreshold(async (t) => curve(t), { ...grid, target: 0.13 });
    // 0.28 - 2.1 (tau - 0.5) <= 0.13  <=>  tau >= 0.5714...
    expect(result.threshold).toBe(0.58);
    expect(result.trials.length).toBeLessThanOrEqual(8); // 41 grid points
    // Reported by rising tau: each trial's threshold above the one before.
    const taus = result.trials.map((t) => t.threshold);
    expect(taus.length).toBeGreaterThan(2);
    for (let i = 1; i < taus.length; i++) expect(taus[i]).toBeGreaterThan(taus[i - 1]!);
    expect(result.notMonotone).toBe(false);
  });

  it('says when the lowest tau already meets the target, or when none does', async () => {
    expect((await searchThreshold(async (t) => curve(t), { ...grid, target: 0.5 })).threshold).toBe(0.4);
    const none = await searchThreshold(async (t) => ({ threshold: t, keptRatioNoBlur: 0.3 }), {
      ...grid,
      target: 0.1,
    });
    expect(none.threshold).toBeUndefined();
    expect(none.trials).toHaveLength(2);
  });

  it('reports measurements that do not fall as tau rises', async () => {
    const bumpy = (t: number) => ({
      threshold: t,
      keptRatioNoBlur: t === 0.6 ? 0.5 : curve(t).keptRatioNoBlur,
    });
    expect((await searchThreshold(async (t) => bumpy(t), { ...grid, target: 0.13 })).notMonotone).toBe(true);
    await expect(searchThreshold(async (t) => curve(t), { ...grid, from: 0.9, target: 0.1 })).rejects.toThrow(
      RangeError,
    );
  });
});
