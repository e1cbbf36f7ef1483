// The held-out evaluation on a tiny data folder in training/data's layout, run through the fixture model: the
// true mask as the guide decides every window, so what each background kind keeps is known.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir } from '../../src-main/inference';
import { FIXTURE_DIR } from '../inference/helpers';
import { evaluateSplit, readSplit } from './evaluate';

const SIDE = 64;
let data: string;

async function png(path: string, channels: 1 | 3, value: (x: number, y: number, c: number) => number) {
  const px = Buffer.alloc(SIDE * SIDE * channels);
  for (let i = 0; i < px.length; i++) {
    const p = Math.floor(i / channels);
    px[i] = value(p % SIDE, Math.floor(p / SIDE), i % channels);
  }
  await sharp(px, { raw: { width: SIDE, height: SIDE, channels } })
    .png()
    .toFile(path);
}

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'deblur-eval-'));
  const dir = join(data, 'val');
  await mkdir(dir);
  const texture = (x: number, y: number, c: number) => ((x * 7 + y * 13 + c * 50) % 64) * 3;
  const smooth = (x: number, _y: number, c: number) => 60 + x + c * 20;
  // 000000: a soft background without blur; 000001: a sharp one whose left half is blurred.
  for (const [id, bg, blurredHalf] of [
    ['000000', smooth, false],
    ['000001', texture, true],
  ] as const) {
    await png(join(dir, `${id}_sharp.png`), 3, bg);
    await png(join(dir, `${id}_blur.png`), 3, (x, y, c) => (blurredHalf && x < SIDE / 2 ? 128 : bg(x, y, c)));
    await png(join(dir, `${id}_mask.png`), 1, (x) => (blurredHalf && x < SIDE / 2 ? 255 : 0));
  }
  const index = {
    val: [
      { id: '000000', kind: 'none', soft: 'flat' },
      { id: '000001', kind: 'local', objects: [{ len_px: 12 }] },
    ],
  };
  await writeFile(join(data, 'index.json'), JSON.stringify(index));
});

afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});

describe('evaluateSplit', () => {
  it('reports the kept share of unblurred pixels on soft and sharp backgrounds apart', async () => {
    const model = await loadModelDir(FIXTURE_DIR);
    const samples = await readSplit(data, 'val');
    const report = await evaluateSplit(model, data, 'val', samples, { threshold: 0.5, guide: 'mask' });
    expect(report.kinds).toEqual({ local: 1, none: 1, global: 0 });
    const { soft, sharp: sharpBg } = report.unblurredKeptByBackground;
    // Protected everywhere: nothing of the soft crop is kept.
    expect(soft).toEqual({ samples: 1, kept: 0 });
    // Forced on the left half: coarse stages' windows reach over into the unblurred right half.
    expect(sharpBg!.samples).toBe(1);
    expect(sharpBg!.kept).toBeGreaterThan(0);
    expect(sharpBg!.kept).toBeLessThanOrEqual(1);
    expect(report.byBlurLength.find((b) => b.lengthPx.from === 8)!.samples).toBe(1);
  }, 60_000);
});
