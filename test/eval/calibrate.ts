// npm run calibrate -- --model <dir> [--data <dir>] [--split train] [--limit 300] [--target 0.1]
//   [--match-unblurred <dB>] [--from 0.4] [--to 0.8] [--step 0.01]
// Picks a model's defaultThreshold on TRAINING crops, so the held-out numbers stay honest, by bisection over a grid:
// - by default the lowest tau whose kept ratio on crops without blur is within --target (the bar is 15 % on
//   held-out crops; the model keeps about 5 points more there than on the crops it trained on, hence 10 %). That
//   ratio depends on the crops without blur alone, so the search runs on those (a seventh of the crops), and the
//   chosen tau is then measured on all of them;
// - with --match-unblurred, the lowest tau whose unblurred region's pooled PSNR against the input, on all the
//   crops, reaches that many dB: the ship rule's "as sharp-safe as the shipped model" (pass the shipped model's own
//   number at its tau, from this script's output or `npm run eval -- --split train --limit 300`).
// Prints JSON: the chosen tau, every tau tried (with --match-unblurred, each with its gain), and the weighted-PSNR
// gain, kept ratio and unblurred PSNR at the chosen tau (progress on stderr).
import { parseArgs } from 'node:util';
import { loadModelDir } from '../../src-main/inference';
import { evaluateSplit, readSplit, type SplitMetrics } from './evaluate';
import { searchThreshold, type Goal } from './threshold-search';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string', default: 'training/.data/synth' },
    split: { type: 'string', default: 'train' },
    limit: { type: 'string', default: '300' },
    target: { type: 'string', default: '0.1' },
    'match-unblurred': { type: 'string' },
    from: { type: 'string', default: '0.4' },
    to: { type: 'string', default: '0.8' },
    step: { type: 'string', default: '0.01' },
  },
});

const number = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${text}"`);
  return n;
};

const gainOf = (m: SplitMetrics) => (m.weightedPsnr ?? NaN) - (m.weightedPsnrInput ?? NaN);

async function main() {
  if (!args.model) throw new Error('--model <dir> is required');
  const model = await loadModelDir(args.model);
  const samples = await readSplit(args.data, args.split, number('limit', args.limit));
  const noBlur = samples.filter((s) => s.kind === 'none');
  const floor =
    args['match-unblurred'] === undefined ? undefined : number('match-unblurred', args['match-unblurred']);
  if (floor === undefined && !noBlur.length)
    throw new Error(`${args.data}: no crops without blur among the first ${args.limit}`);
  // The kept-ratio search sees crops without blur only: no gain there, and their unblurred PSNR is not the
  // number the match uses, so its trials leave those two out (JSON drops undefined).
  const all = floor !== undefined;
  const searched = all ? samples : noBlur;
  const measure = async (threshold: number) => {
    const m = await evaluateSplit(model, args.data, args.split, searched, { threshold });
    const trial = {
      threshold,
      keptRatioNoBlur: m.keptRatioNoBlur ?? NaN,
      unblurredPsnrVsInputPooled: all ? (m.unblurredPsnrVsInputPooled ?? NaN) : undefined,
      weightedPsnrGain: all ? gainOf(m) : undefined,
      metrics: m,
    };
    console.error(JSON.stringify({ ...trial, metrics: undefined }));
    return trial;
  };
  type T = Awaited<ReturnType<typeof measure>>;
  const goal: Goal<T> =
    floor === undefined
      ? { value: (t) => t.keptRatioNoBlur, atMost: number('target', args.target) }
      : { value: (t) => t.unblurredPsnrVsInputPooled ?? NaN, atLeast: floor };
  const grid = {
    from: number('from', args.from),
    to: number('to', args.to),
    step: number('step', args.step),
  };
  const result = await searchThreshold(measure, goal, grid);
  let atThreshold;
  if (result.threshold !== undefined) {
    // The unblurred search already measured every crop at the chosen tau.
    const tried = all ? result.trials.find((t) => t.threshold === result.threshold) : undefined;
    const m =
      tried?.metrics ??
      (await evaluateSplit(model, args.data, args.split, samples, { threshold: result.threshold }));
    atThreshold = {
      keptRatioNoBlur: m.keptRatioNoBlur,
      keptRatio: m.keptRatio,
      weightedPsnrGain: gainOf(m),
      unblurredPsnrVsInputPooled: m.unblurredPsnrVsInputPooled,
    };
  }
  const counts = { samples: samples.length, noBlurSamples: noBlur.length };
  const trials = result.trials.map(({ metrics: _, ...t }) => t);
  const goalText = floor === undefined ? { target: goal.atMost } : { matchUnblurred: floor };
  console.log(
    JSON.stringify({
      model: args.model,
      split: args.split,
      ...counts,
      ...goalText,
      ...result,
      trials,
      atThreshold,
    }),
  );
}

await main();
