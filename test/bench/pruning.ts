// npm run bench:pruning -- [--json] [--sizes 512,1024] [--runs 3] [--models DIR]
// Time per image of the official LMD-ViT configuration (random weights) on the CPU with onnxruntime-node,
// at 0/10/25/50/100 % of windows kept (a centred forced region, the rest protected), against the same
// weights exported without pruning machinery (--dense). Every number comes from one process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';

const CONFIG = 'training/configs/lmdvit-official.yaml';
const TARGETS = [0, 0.1, 0.25, 0.5, 1];

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '512,1024' },
    runs: { type: 'string', default: '3' },
    models: { type: 'string', default: join(tmpdir(), 'deblur-bench-official') },
  },
});

function exportModel(out: string, dense: boolean): string {
  if (!existsSync(join(out, 'model.onnx'))) {
    const extra = dense ? ['--dense'] : [];
    const argv = ['-m', 'training.export', '--config', CONFIG, '--random-weights', ...extra, '--out', out];
    const r = spawnSync('/usr/bin/python3', argv, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`export failed:\n${r.stderr}`);
  }
  return join(out, 'model.onnx');
}

/** +1 inside a centred rectangle holding `share` of the area, -1 elsewhere. */
function centredGuide(h: number, w: number, share: number): Float32Array {
  const guide = new Float32Array(h * w).fill(-1);
  const side = Math.sqrt(share);
  const rh = Math.round(h * side);
  const rw = Math.round(w * side);
  const y0 = Math.floor((h - rh) / 2);
  const x0 = Math.floor((w - rw) / 2);
  for (let y = y0; y < y0 + rh; y++) guide.fill(1, y * w + x0, y * w + x0 + rw);
  return guide;
}

/** One timed run, in seconds, with its outputs. */
async function timeOnce(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>) {
  const t0 = performance.now();
  const out = await session.run(feeds);
  return { seconds: (performance.now() - t0) / 1000, out };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function linearFitR2(xs: number[], ys: number[]): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: (sxy * sxy) / (sxx * syy) };
}

async function main() {
  const runs = Number(args.runs);
  const opts: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1 };
  const prunedPath = exportModel(join(args.models, 'pruned'), false);
  const densePath = exportModel(join(args.models, 'dense'), true);
  let sessionSeconds = 0;
  const results = [];
  for (const size of args.sizes.split(',').map(Number)) {
    const image = new ort.Tensor(
      'float32',
      new Float32Array(3 * size * size).map(() => Math.random()),
      [1, 3, size, size],
    );
    const dense = await ort.InferenceSession.create(densePath, opts);
    const t0 = performance.now();
    const pruned = await ort.InferenceSession.create(prunedPath, opts);
    sessionSeconds = (performance.now() - t0) / 1000;
    const points = [
      { target: null as number | null, session: dense, feeds: { image } as Record<string, ort.Tensor> },
      ...TARGETS.map((target) => ({
        target: target as number | null,
        session: pruned,
        feeds: {
          image,
          guide: new ort.Tensor('float32', centredGuide(size, size, target), [1, 1, size, size]),
          threshold: new ort.Tensor('float32', new Float32Array([0.5]), []),
        } as Record<string, ort.Tensor>,
      })),
    ];
    const times: number[][] = points.map(() => []);
    const kept: number[] = points.map(() => 1);
    // Interleaved rounds (warm-up first, order reversed every other round), so that load from other
    // processes falls on dense and pruned alike; the median of each point is reported.
    for (let round = -1; round < runs; round++) {
      const order = points.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const i of order) {
        const { seconds, out } = await timeOnce(points[i]!.session, points[i]!.feeds);
        if (round >= 0) times[i]!.push(seconds);
        if (out['kept_ratio']) kept[i] = (out['kept_ratio'].data as Float32Array)[0]!;
      }
      console.error(`size ${size}: round ${round + 1}/${runs} done`);
    }
    await Promise.all([dense.release(), pruned.release()]);
    const denseSeconds = median(times[0]!);
    const levels = points.slice(1).map((p, j) => {
      const seconds = median(times[j + 1]!);
      return { target: p.target, keptRatio: kept[j + 1]!, seconds, ofDense: seconds / denseSeconds };
    });
    const fit = linearFitR2(
      levels.map((l) => l.keptRatio),
      levels.map((l) => l.seconds),
    );
    results.push({
      size,
      denseSeconds,
      levels,
      floorOfDense: levels[0]!.ofDense,
      allKeptOverhead: levels[levels.length - 1]!.ofDense - 1,
      linearFit: { floorSeconds: fit.intercept, secondsPerKeptShare: fit.slope, r2: fit.r2 },
    });
  }
  const report = {
    benchmark: 'pruning',
    config: CONFIG,
    weights: 'random',
    provider: 'cpu',
    intraOpNumThreads: 1,
    cpu: cpus()[0]?.model ?? 'unknown',
    runsPerPoint: runs,
    prunedSessionSeconds: sessionSeconds,
    results,
  };
  if (args.json) console.log(JSON.stringify(report));
  else console.log(JSON.stringify(report, null, 2));
}

await main();
