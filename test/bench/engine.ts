// Engine benchmark: `npm run bench:engine -- --json [--model id|dir] [--source photo.jpg] [--tile n] [--quick]`.
// Runs the deblur CLI (a child process per run, peak RSS from /usr/bin/time -v) on a 2152x1436 photo
// (ReLoBlur's size) and a 24-MP photo (6000x4000), at the model's default threshold and at 0, on the CPU.
// The photos are generated: from --source resized to cover each size, else from synthetic texture.
// It also measures tile seams on the 2152x1436 photo: tiled vs whole-image inference, in the tile overlaps
// (where seams would be) and outside them, and writes a crop across a tile corner for looking at.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { decodePhoto } from '../../src-main/imaging';
import { loadModelDir, restore, type RestoreResult } from '../../src-main/inference';
import { planTiles } from '../../src-main/inference/tiler';
import { defaultModelDir, resolveModelDir } from '../../src-main/restore';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src-main', 'cli', 'deblur.js');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'lmdvit-fixture');

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    model: { type: 'string' },
    source: { type: 'string' },
    tile: { type: 'string' },
    quick: { type: 'boolean', default: false }, // skip the 24-MP photo
    'keep-files': { type: 'string' }, // folder to keep the seam crop in
  },
});

const modelDir = values.model ? resolveModelDir(values.model) : (defaultModelDir() ?? FIXTURE);
const model = await loadModelDir(modelDir);
const sizes: [string, number, number][] = [['2152x1436', 2152, 1436]];
if (!values.quick) sizes.push(['24MP', 6000, 4000]);
const thresholds = [model.manifest.defaultThreshold, 0];
const folder = await mkdtemp(join(tmpdir(), 'deblur-bench-'));

function log(message: string): void {
  if (!values.json) console.log(message);
  else process.stderr.write(`${message}\n`);
}

async function makePhoto(name: string, width: number, height: number): Promise<string> {
  const path = join(folder, `${name}.jpg`);
  const image = values.source
    ? sharp(values.source).autoOrient().resize(width, height, { fit: 'cover' })
    : sharp({
        create: {
          width,
          height,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 120, sigma: 40 },
        },
      }).blur(1.2);
  await image.jpeg({ quality: 92 }).toFile(path);
  return path;
}

interface CliRun {
  threshold: number;
  seconds: number;
  wallSeconds: number;
  peakRssMB: number;
  tiles: unknown;
  keptRatio: number;
  provider: string;
}

function runCli(photo: string, threshold: number): Promise<CliRun> {
  const args = [
    '-v',
    process.execPath,
    CLI,
    photo,
    '-o',
    join(folder, 'out.jpg'),
    '--json',
    '--device',
    'cpu',
  ];
  args.push('--model', modelDir, '--threshold', String(threshold));
  if (values.tile) args.push('--tile', values.tile);
  const started = performance.now();
  return new Promise((done, fail) => {
    execFile('/usr/bin/time', args, { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error) return fail(new Error(`deblur failed: ${stderr}`));
      const report = JSON.parse(stdout.trim().split('\n').at(-1)!);
      const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]);
      done({
        threshold,
        seconds: report.seconds,
        wallSeconds: (performance.now() - started) / 1000,
        peakRssMB: Math.round(rssKb / 1024),
        tiles: report.tiles,
        keptRatio: report.keptRatio,
        provider: report.provider,
      });
    });
  });
}

/** Tiled vs whole-image inference: mean |difference| (8-bit levels) in the overlaps and outside them. */
async function seams(photo: string, threshold: number) {
  const decoded = await decodePhoto(photo);
  const { width, height } = decoded;
  const pixels = () => ({ width, height, data: decoded.data });
  const session = { device: 'cpu' as const, threads: 1 };
  const tile = values.tile ? Number(values.tile) : model.manifest.recommendedTile;
  const tiled = await restore(model, { pixels: pixels(), threshold, tile, maps: false }, session);
  const whole = await restore(model, { pixels: pixels(), threshold, tile: 1 << 14, maps: false }, session);
  const plan = planTiles(width, height, { multiple: model.manifest.inputMultiple, tile });
  const inOverlap = (origins: number[], size: number, v: number) =>
    origins.filter((o) => v >= o && v < o + size).length > 1;
  let seamSum = 0;
  let seamN = 0;
  let interiorSum = 0;
  let interiorN = 0;
  let max = 0;
  for (let y = 0; y < height; y++) {
    const rowSeam = inOverlap(plan.ys, plan.tileHeight, y);
    for (let x = 0; x < width; x++) {
      const seam = rowSeam || inOverlap(plan.xs, plan.tileWidth, x);
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        const diff = Math.abs(tiled.pixels.data[i]! - whole.pixels.data[i]!);
        max = Math.max(max, diff);
        if (seam) {
          seamSum += diff;
          seamN++;
        } else {
          interiorSum += diff;
          interiorN++;
        }
      }
    }
  }
  let crop: string | undefined;
  if (values['keep-files']) crop = await saveCrop(tiled, plan.xs[4] ?? 0, plan.ys[4] ?? 0, threshold);
  return {
    threshold,
    tile,
    overlapMean: seamSum / Math.max(1, seamN),
    outsideMean: interiorSum / Math.max(1, interiorN),
    max,
    changedFromInputMean: meanDiff(tiled.pixels.data, decoded.data),
    crop,
  };
}

function meanDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** A 512x512 crop of the tiled result centred on a tile corner, enlarged 2x, for checking by eye. */
async function saveCrop(result: RestoreResult, x: number, y: number, threshold: number): Promise<string> {
  const path = resolve(values['keep-files']!, `seam-crop-t${threshold}.png`);
  const { width, height, data } = result.pixels;
  const left = Math.max(0, Math.min(width - 512, x - 256));
  const top = Math.max(0, Math.min(height - 512, y - 256));
  await sharp(data as Uint8Array, { raw: { width, height, channels: 3 } })
    .extract({ left, top, width: 512, height: 512 })
    .resize(1024, 1024, { kernel: 'nearest' })
    .png()
    .toFile(path);
  return path;
}

try {
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed (apt-get install time)');
  const photos = [];
  for (const [name, width, height] of sizes) {
    const photo = await makePhoto(name, width, height);
    const runs = [];
    for (const threshold of thresholds) {
      log(`${name} threshold ${threshold} ...`);
      runs.push(await runCli(photo, threshold));
    }
    photos.push({ name, width, height, runs });
  }
  log('seams ...');
  const first = join(folder, `${sizes[0]![0]}.jpg`);
  const seamRuns = [];
  for (const threshold of thresholds) seamRuns.push(await seams(first, threshold));
  const result = {
    model: { id: model.manifest.id, dir: modelDir },
    device: 'cpu',
    source: values.source ?? 'synthetic noise',
    photos,
    seams: seamRuns,
    node: process.version,
  };
  console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
} finally {
  await rm(folder, { recursive: true, force: true });
}
