// The held-out evaluation itself (`npm run eval`, `npm run calibrate`): quality and pruning of a model folder on
// synthetic pairs (training/data's layout), through the same ONNX pipeline the app runs (tiling, guide,
// blending).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePhoto } from '../../src-main/imaging';
import type { ModelDir } from '../../src-main/inference';
import { restore } from '../../src-main/inference/pipeline';
import {
  addCounts,
  bucketsOf,
  keptAnywhere,
  psnr,
  psnrOf,
  pruningCounts,
  rates,
  squaredError,
  ssim,
  type Counts,
  type Rgb8,
  type SquaredError,
} from './metrics';

interface Row {
  kind: Sample['kind'];
  soft: boolean;
  /** The longest path of a moving object (px), for local blur. */
  blurLength: number | undefined;
  psnr: number;
  ssim: number;
  psnrIn: number;
  ssimIn: number;
  wpsnr: number;
  wssim: number;
  wpsnrIn: number;
  wssimIn: number;
  unblurredVsInput: number;
  unblurredError: SquaredError;
  /** The same restricted to pixels under a window some stage kept. */
  unblurredErrorKept: SquaredError;
  keptRatio: number;
  /** Share of the image each stage's plain-window decision keeps. */
  stageKept: number[];
  seconds: number;
}

export interface Sample {
  id: string;
  kind: 'local' | 'none' | 'global';
  /** training/data's record of each object: `len_px` is a moving one's path length in pixels. */
  objects?: { len_px?: number }[];
  /** Set where training/data softened the background (defocus, flat colour): smooth, yet not blurred. */
  soft?: string;
}

/** Blur length ranges (px) for the gain by length: 256-px crops have paths of 3-25 px, whole photos up to 77. */
const LENGTH_EDGES = [0, 8, 16, 32];

function longestPath(sample: Sample): number | undefined {
  const lengths = (sample.objects ?? []).flatMap((o) => (o.len_px === undefined ? [] : [o.len_px]));
  return lengths.length ? Math.max(...lengths) : undefined;
}

async function rgb8(path: string): Promise<Rgb8> {
  const photo = await decodePhoto(path);
  if (!(photo.data instanceof Uint8Array)) throw new Error(`${path}: expected 8-bit`);
  return { width: photo.width, height: photo.height, data: photo.data };
}

async function maskOf(path: string): Promise<Float32Array> {
  const m = await rgb8(path);
  return Float32Array.from({ length: m.width * m.height }, (_, i) => (m.data[i * 3]! > 127 ? 1 : 0));
}

const mean = (xs: number[]) => {
  const ok = xs.filter((x) => Number.isFinite(x));
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null;
};

export interface EvalOptions {
  /** tau for every crop. */
  threshold: number;
  /** 'mask': the true mask as the user's brush (force blurred pixels, protect the rest). */
  guide?: 'mask' | undefined;
}

/** The sample list of a data folder's split (training/data's index.json). */
export async function readSplit(data: string, split: string, limit = Infinity): Promise<Sample[]> {
  const index = JSON.parse(await readFile(join(data, 'index.json'), 'utf8')) as Record<string, Sample[]>;
  const samples = (index[split] ?? []).slice(0, limit);
  if (!samples.length) throw new Error(`${data}: no samples in split "${split}"`);
  return samples;
}

/** Every metric of one split, through the app's own restore pipeline on the CPU. */
export async function evaluateSplit(
  model: ModelDir,
  data: string,
  split: string,
  samples: Sample[],
  options: EvalOptions,
) {
  const { threshold } = options;
  const rows: Row[] = [];
  const zero: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const stageCounts: Counts[] = [];
  for (const s of samples) {
    const stem = join(data, split, s.id);
    const [blur, sharp, mask] = await Promise.all([
      rgb8(`${stem}_blur.png`),
      rgb8(`${stem}_sharp.png`),
      maskOf(`${stem}_mask.png`),
    ]);
    const result = await restore(
      model,
      {
        pixels: blur,
        threshold,
        maps: true,
        guide: options.guide === 'mask' ? mask.map((m) => 2 * m - 1) : undefined,
      },
      { device: 'cpu', threads: 1 },
    );
    const out: Rgb8 = { width: blur.width, height: blur.height, data: result.pixels.data as Uint8Array };
    const unblurredError = squaredError(
      out,
      blur,
      mask.map((m) => 1 - m),
    );
    const d = result.decisions!;
    const kept = keptAnywhere(d, blur.width, blur.height);
    const unblurredErrorKept = squaredError(
      out,
      blur,
      mask.map((m, i) => (1 - m) * kept[i]!),
    );
    const cells = d.width * d.height;
    const stageKept: number[] = [];
    for (let k = 0; k < d.count; k++) {
      const map = d.data.subarray(k * cells, (k + 1) * cells);
      const c = pruningCounts(mask, blur.width, blur.height, map, d.width, d.factor);
      stageCounts[k] = addCounts(stageCounts[k] ?? zero, c);
      stageKept.push((c.tp + c.fp) / mask.length);
    }
    rows.push({
      kind: s.kind,
      soft: s.soft !== undefined,
      blurLength: s.kind === 'local' ? longestPath(s) : undefined,
      psnr: psnr(out, sharp),
      ssim: ssim(out, sharp),
      psnrIn: psnr(blur, sharp),
      ssimIn: ssim(blur, sharp),
      wpsnr: psnr(out, sharp, mask),
      wssim: ssim(out, sharp, mask),
      wpsnrIn: psnr(blur, sharp, mask),
      wssimIn: ssim(blur, sharp, mask),
      unblurredVsInput: psnrOf(unblurredError),
      unblurredError,
      unblurredErrorKept,
      keptRatio: result.keptRatio,
      stageKept,
      seconds: result.seconds,
    });
  }
  const avg = (
    key: Exclude<
      keyof Row,
      'kind' | 'soft' | 'blurLength' | 'stageKept' | 'unblurredError' | 'unblurredErrorKept'
    >,
    kinds?: string[],
  ) => mean(rows.filter((r) => !kinds || kinds.includes(r.kind)).map((r) => r[key]));
  const finest = rates(stageCounts[0] ?? zero);
  const pooled = (pick: (r: Row) => SquaredError, keep = (r: Row) => r.kind !== 'global'): SquaredError =>
    rows
      .filter(keep)
      .map(pick)
      .reduce((a, e) => ({ sum: a.sum + e.sum, total: a.total + e.total }), { sum: 0, total: 0 });
  const unblurred = pooled((r) => r.unblurredError);
  const unblurredKept = pooled((r) => r.unblurredErrorKept);
  return {
    split,
    samples: rows.length,
    kinds: Object.fromEntries(
      ['local', 'none', 'global'].map((k) => [k, rows.filter((r) => r.kind === k).length]),
    ),
    psnr: avg('psnr'),
    ssim: avg('ssim'),
    psnrInput: avg('psnrIn'),
    ssimInput: avg('ssimIn'),
    weightedPsnr: avg('wpsnr', ['local', 'global']),
    weightedSsim: avg('wssim', ['local', 'global']),
    weightedPsnrInput: avg('wpsnrIn', ['local', 'global']),
    weightedSsimInput: avg('wssimIn', ['local', 'global']),
    unblurredPsnrVsInput: avg('unblurredVsInput', ['local', 'none']),
    // The same from the squared error summed over all those crops' unblurred pixels: crops left nearly
    // bit-identical (60-100 dB) pull the mean of per-crop PSNRs up, not this.
    unblurredPsnrVsInputPooled: psnrOf(unblurred),
    // Where that error lies: the share of unblurred pixels under a window some stage kept, and their share of
    // the error (the rest comes from pruned windows, through the convolutions around the blocks).
    unblurredInKeptWindows: {
      pixels: unblurredKept.total / unblurred.total,
      error: unblurred.sum ? unblurredKept.sum / unblurred.sum : null,
    },
    // Soft backgrounds (sets built with --soft-share) against sharp ones: the share of their unblurred pixels
    // under a kept window. Smooth areas taken for blur show here.
    unblurredKeptByBackground: Object.fromEntries(
      [true, false].map((soft) => {
        const keep = (r: Row) => r.kind !== 'global' && r.soft === soft;
        const all = pooled((r) => r.unblurredError, keep);
        return [
          soft ? 'soft' : 'sharp',
          {
            samples: rows.filter(keep).length,
            kept: all.total ? pooled((r) => r.unblurredErrorKept, keep).total / all.total : null,
          },
        ];
      }),
    ),
    pruningPrecision: finest.precision,
    pruningRecall: finest.recall,
    pruningAccuracy: finest.accuracy,
    keptRatio: avg('keptRatio'),
    keptRatioNoBlur: avg('keptRatio', ['none']),
    secondsPerImage: avg('seconds'),
    // Crops with local blur by their longest moving object's path: what lengths the model helps with.
    byBlurLength: bucketsOf(rows, (r) => r.blurLength, LENGTH_EDGES).map(({ from, to, items }) => ({
      lengthPx: { from, to },
      samples: items.length,
      weightedPsnr: mean(items.map((r) => r.wpsnr)),
      weightedPsnrInput: mean(items.map((r) => r.wpsnrIn)),
    })),
    // Per stage (encoder 0-3, bottleneck, decoder 0-3): its plain windows against the mask, and its kept
    // share on crops without blur.
    stages: stageCounts.map((c, k) => ({
      ...rates(c),
      keptNoBlur: mean(rows.filter((r) => r.kind === 'none').map((r) => r.stageKept[k]!)),
    })),
  };
}

/** One split's entry in `npm run eval`'s report. */
export type SplitMetrics = Awaited<ReturnType<typeof evaluateSplit>>;
