// The calibration search: the lowest tau on a grid whose measured value meets a goal. Raising tau keeps fewer
// windows, so the kept ratio on crops without blur falls and the unblurred region's PSNR rises as tau rises; the
// goal says which way (checked on what was measured, not assumed: a tried pair that breaks the order is reported).

export interface Trial {
  threshold: number;
}

/** What a tau must reach: its measured value at most `atMost` (a value that falls with tau) or at least `atLeast`. */
export type Goal<T extends Trial> = { value: (trial: T) => number } & (
  { atMost: number; atLeast?: never } | { atLeast: number; atMost?: never }
);

export interface SearchResult<T extends Trial> {
  /** The lowest grid tau that meets the goal, or undefined when even `to` does not. */
  threshold: number | undefined;
  trials: T[];
  /** True when the measured values did not move the goal's way as tau rose. */
  notMonotone: boolean;
}

export async function searchThreshold<T extends Trial>(
  measure: (threshold: number) => Promise<T>,
  goal: Goal<NoInfer<T>>, // T comes from what `measure` returns
  options: { from: number; to: number; step: number },
): Promise<SearchResult<T>> {
  const { from, to, step } = options;
  if (!(from < to && step > 0 && from >= 0 && to <= 1))
    throw new RangeError('need 0 <= from < to <= 1, step > 0');
  // Signed so that "better" is always larger: the kept ratio's sign flips.
  const score = (t: T) => (goal.atMost !== undefined ? -goal.value(t) : goal.value(t));
  const bound = goal.atMost !== undefined ? -goal.atMost : goal.atLeast!;
  const grid = (i: number) => Math.round((from + i * step) * 1e6) / 1e6;
  const trials: T[] = [];
  const at = async (i: number) => {
    const trial = await measure(grid(i));
    trials.push(trial);
    return score(trial) >= bound;
  };
  let hi = Math.floor((to - from) / step + 1e-9);
  let lo = 0;
  let threshold: number | undefined;
  if (await at(lo)) threshold = grid(lo);
  else if (await at(hi)) {
    // Invariant: lo misses the goal, hi meets it.
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (await at(mid)) hi = mid;
      else lo = mid;
    }
    threshold = grid(hi);
  }
  const sorted = [...trials].sort((a, b) => a.threshold - b.threshold);
  const notMonotone = sorted.some((t, i) => i > 0 && score(t) < score(sorted[i - 1]!));
  return { threshold, trials: sorted, notMonotone };
}
