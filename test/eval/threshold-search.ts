// The calibration search: the lowest tau on a grid whose kept ratio on crops without blur is within a target.
// Raising tau keeps fewer windows, so that ratio falls as tau rises (checked on what was measured, not assumed:
// a tried pair that breaks the order is reported).

export interface Trial {
  threshold: number;
  keptRatioNoBlur: number;
}

export interface SearchResult<T extends Trial> {
  /** The lowest grid tau within the target, or undefined when even `to` keeps too much. */
  threshold: number | undefined;
  trials: T[];
  /** True when the measured ratios did not fall as tau rose. */
  notMonotone: boolean;
}

export async function searchThreshold<T extends Trial>(
  measure: (threshold: number) => Promise<T>,
  options: { target: number; from: number; to: number; step: number },
): Promise<SearchResult<T>> {
  const { target, from, to, step } = options;
  if (!(from < to && step > 0 && from >= 0 && to <= 1))
    throw new RangeError('need 0 <= from < to <= 1, step > 0');
  const grid = (i: number) => Math.round((from + i * step) * 1e6) / 1e6;
  const trials: T[] = [];
  const at = async (i: number) => {
    const trial = await measure(grid(i));
    trials.push(trial);
    return trial.keptRatioNoBlur <= target;
  };
  let hi = Math.floor((to - from) / step + 1e-9);
  let lo = 0;
  let threshold: number | undefined;
  if (await at(lo)) threshold = grid(lo);
  else if (await at(hi)) {
    // Invariant: lo misses the target, hi meets it.
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (await at(mid)) hi = mid;
      else lo = mid;
    }
    threshold = grid(hi);
  }
  const sorted = [...trials].sort((a, b) => a.threshold - b.threshold);
  const notMonotone = sorted.some((t, i) => i > 0 && t.keptRatioNoBlur > sorted[i - 1]!.keptRatioNoBlur);
  return { threshold, trials: sorted, notMonotone };
}
