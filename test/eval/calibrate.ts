// npm run calibrate -- --model <dir> [--data <dir>] [--split train] [--limit 300] [--target 0.1]
//   [--from 0.4] [--to 0.8] [--step 0.01]
// Picks a model's defaultThreshold on TRAINING crops, so the held-out numbers stay honest: the lowest tau whose
// kept ratio on crops without blur is within --target, found by bisection (the bar is 15 % on held-out crops; the
// model keeps about 5 points more there than on the crops it trained on, hence 10 %). That ratio depends on the
// crops without blur alone, so the search runs on those (a seventh of the crops), and the chosen tau is then
// measured on all of them. Prints JSON: the chosen tau, every tau tried, and the weighted-PSNR gain, kept ratio
// and unblurred PSNR at the chosen tau (progress on stderr).
import { parseArgs } from 'node:util';
import { loadModelDir } from '../../src-main/inference';
import { evaluateSplit, readSplit } from './evaluate';
import { searchThreshold } from './threshold-search';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string', default: 'training/.data/synth' },
    split: { type: 'string', default: 'train' },
    limit: { type: 'string', default: '300' },
    target: { type: 'string', default: '0.1' },
    from: { type: 'string', default: '0.4' },
    to: { type: 'string', default: '0.8' },
    step: { type: 'string', default: '0.01' },
  },
});

async function main() {
  if (!args.model) throw new Error('--model <dir> is required');
  const model = await loadModelDir(args.model);
  const samples = await readSplit(args.data, args.split, Number(args.limit));
  const noBlur = samples.filter((s) => s.kind === 'none');
  if (!noBlur.length) throw new Error(`${args.data}: no crops without blur among the first ${args.limit}`);
  const result = await searchThreshold(
    async (threshold) => {
      const m = await evaluateSplit(model, args.data, args.split, noBlur, { threshold });
      const trial = { threshold, keptRatioNoBlur: m.keptRatioNoBlur ?? NaN };
      console.error(JSON.stringify(trial));
      return trial;
    },
    { target: Number(args.target), from: Number(args.from), to: Number(args.to), step: Number(args.step) },
  );
  let atThreshold;
  if (result.threshold !== undefined) {
    const m = await evaluateSplit(model, args.data, args.split, samples, { threshold: result.threshold });
    atThreshold = {
      keptRatioNoBlur: m.keptRatioNoBlur,
      keptRatio: m.keptRatio,
      weightedPsnrGain: (m.weightedPsnr ?? NaN) - (m.weightedPsnrInput ?? NaN),
      unblurredPsnrVsInputPooled: m.unblurredPsnrVsInputPooled,
    };
  }
  const counts = { samples: samples.length, noBlurSamples: noBlur.length };
  console.log(JSON.stringify({ model: args.model, split: args.split, ...counts, ...result, atThreshold }));
}

await main();
