// npm run eval -- --model <dir> --data <dir> [--split val,val_full] [--threshold t] [--guide mask] [--limit n]
//   [--json]
// Quality and pruning of a model folder on the held-out synthetic set: PSNR/SSIM, their blur-weighted versions,
// the PSNR of the unblurred region against the input (how well sharp areas are left alone; mean over crops and
// pooled, and how much of that error lies under kept windows), pruning precision/recall of the finest stage's
// windows against the mask (and of each stage's), kept ratio (also on crops with no blur at all) and seconds. `--guide mask` hands the true blur mask in as the
// user's brush (force blurred pixels, protect the rest), so the predictors' decisions drop out: what is left is
// the restoration itself.
import { parseArgs } from 'node:util';
import { loadModelDir } from '../../src-main/inference';
import { evaluateSplit, readSplit } from './evaluate';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string', default: 'training/.data/synth' },
    split: { type: 'string', default: 'val,val_full' },
    threshold: { type: 'string' },
    guide: { type: 'string', default: 'none' },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

async function main() {
  if (!args.model) throw new Error('--model <dir> is required');
  if (!['none', 'mask'].includes(args.guide))
    throw new Error(`--guide must be none or mask, not ${args.guide}`);
  const model = await loadModelDir(args.model);
  // Recorded in the report: the manifest's metrics must come from its own defaultThreshold (training/export.py).
  const threshold = args.threshold === undefined ? model.manifest.defaultThreshold : Number(args.threshold);
  const limit = args.limit === undefined ? Infinity : Number(args.limit);
  const guide = args.guide === 'mask' ? 'mask' : undefined;
  const splits = [];
  for (const split of args.split.split(',')) {
    const samples = await readSplit(args.data, split, limit);
    splits.push(await evaluateSplit(model, args.data, split, samples, { threshold, guide }));
  }
  const report = {
    eval: 'synthetic held-out set',
    model: args.model,
    data: args.data,
    threshold,
    guide,
    splits,
  };
  console.log(args.json ? JSON.stringify(report) : JSON.stringify(report, null, 2));
}

await main();
