import { describe, expect, it } from 'vitest';
import { loadModelDir } from '../../src-main/inference/manifest';
import { CancelledError, restore } from '../../src-main/inference/pipeline';
import { FIXTURE_DIR, texture8 } from './helpers';

const session = { device: 'cpu', threads: 1 } as const;

describe('restore pipeline', () => {
  it('tiled matches untiled for a 256x384 image with tile 256: seamless, equal at threshold 0', async () => {
    const model = await loadModelDir(FIXTURE_DIR);
    const [width, height] = [384, 256];
    const pixels = { width, height, data: texture8(width, height) };
    const compare = async (threshold: number) => {
      const tiled = await restore(model, { pixels, tile: 256, threshold }, session);
      const whole = await restore(model, { pixels, tile: 384, threshold }, session);
      expect(tiled.tiles).toMatchObject({ total: 2, run: 2, skipped: 0 });
      expect(whole.tiles).toMatchObject({ total: 1, run: 1 });
      let max = 0;
      let sum = 0;
      for (let i = 0; i < tiled.pixels.data.length; i++) {
        const diff = Math.abs(tiled.pixels.data[i]! - whole.pixels.data[i]!);
        max = Math.max(max, diff);
        sum += diff;
      }
      return { tiled, max, mean: sum / tiled.pixels.data.length };
    };
    // threshold 0 keeps every window: tile origins on the 128 grid keep every window aligned, so tiles see
    // what the whole image sees; only float rounding differs (a few levels at most, rarely), including
    // in the blended overlap (x in [128, 256)).
    const dense = await compare(0);
    expect(dense.max).toBeLessThanOrEqual(3);
    expect(dense.mean).toBeLessThan(0.05);
    // With pruning, a shifted window's keep decision averages its whole (rolled) window, which at a tile's
    // edge mixes in the opposite edge: some decisions differ between tiled and whole runs (documented).
    const pruned = await compare(0.5);
    expect(pruned.mean).toBeLessThan(4);
    const { tiled } = pruned;
    expect(tiled.confidence).toHaveLength(width * height);
    expect(tiled.decisions).toMatchObject({ count: 9, width: 48, height: 32, factor: 8 });
    expect(tiled.keptRatio).toBeGreaterThan(0);
    expect(tiled.keptRatio).toBeLessThanOrEqual(1);
  });

  it("maps 'decisions' gives the same decisions and pixels without the full-size confidence", async () => {
    const model = await loadModelDir(FIXTURE_DIR);
    const pixels = { width: 300, height: 200, data: texture8(300, 200) };
    const both = await restore(model, { pixels, maps: true }, session);
    const decisionsOnly = await restore(model, { pixels, maps: 'decisions' }, session);
    expect(decisionsOnly.confidence).toBeUndefined();
    expect(decisionsOnly.decisions).toEqual(both.decisions);
    expect(decisionsOnly.pixels.data).toEqual(both.pixels.data);
    const none = await restore(model, { pixels, maps: false }, session);
    expect(none.decisions).toBeUndefined();
  });

  it('does not run fully protected tiles and gives back the original pixels there', async () => {
    const model = await loadModelDir(FIXTURE_DIR);
    const [width, height] = [640, 130];
    const data = texture8(width, height);
    const guide = new Float32Array(width * height).fill(-1);
    const all = await restore(model, { pixels: { width, height, data }, guide }, session);
    expect(all.tiles).toMatchObject({ total: 4, run: 0, skipped: 4 });
    expect(all.pixels.data).toEqual(data);
    expect(all.keptRatio).toBe(0);

    // Force x >= 512: tiles at x 0, 128, 256 see only protected pixels; the one at 384 runs.
    for (let y = 0; y < height; y++) guide.fill(1, y * width + 512, y * width + width);
    const part = await restore(model, { pixels: { width, height, data }, guide }, session);
    expect(part.tiles).toMatchObject({ run: 1, skipped: 3 });
    for (let y = 0; y < height; y++) {
      const row = y * width * 3;
      expect(part.pixels.data.subarray(row, row + 512 * 3)).toEqual(data.subarray(row, row + 512 * 3));
    }
    expect(part.pixels.data).not.toEqual(data);
  });

  it('pads the guide with auto: a stroke at the bottom edge does not force the padding window below it', async () => {
    const model = await loadModelDir(FIXTURE_DIR);
    const [width, height] = [128, 130]; // padded to 256 high; window row 16 holds image rows 128-129 only
    const guide = new Float32Array(width * height);
    guide.fill(1, 123 * width, 128 * width); // rows 123-127 forced, 128-129 auto
    const pixels = { width, height, data: texture8(width, height) };
    const result = await restore(model, { pixels, guide, threshold: 1, maps: 'decisions' }, session);
    const d = result.decisions!; // threshold 1 keeps only forced windows
    const stage0 = (row: number) => Array.from(d.data.subarray(row * d.width, (row + 1) * d.width));
    expect(stage0(15)).toEqual(new Array(d.width).fill(1));
    expect(stage0(16)).toEqual(new Array(d.width).fill(0));
  });

  it('a window whose image part is all protected is dropped, however much padding it holds', async () => {
    const model = await loadModelDir(FIXTURE_DIR);
    const [width, height] = [128, 130];
    const guide = new Float32Array(width * height);
    guide.fill(-1, 128 * width); // rows 128-129 protected: window row 16 holds them and 6 rows of padding
    const pixels = { width, height, data: texture8(width, height) };
    const result = await restore(model, { pixels, guide, threshold: 0, maps: 'decisions' }, session);
    const d = result.decisions!; // threshold 0 keeps every window the guide does not drop
    const stage0 = (row: number) => Array.from(d.data.subarray(row * d.width, (row + 1) * d.width));
    expect(stage0(15)).toEqual(new Array(d.width).fill(1));
    expect(stage0(16)).toEqual(new Array(d.width).fill(0));
  });

  it('blends with strength: 0 gives the input back, 16-bit stays 16-bit', async () => {
    const model = await loadModelDir(FIXTURE_DIR);
    const data = Uint16Array.from(texture8(140, 90), (v) => v * 257 + 3);
    const result = await restore(model, { pixels: { width: 140, height: 90, data }, strength: 0 }, session);
    expect(result.pixels.data).toBeInstanceOf(Uint16Array);
    expect(result.pixels.data).toEqual(data);
    expect(result.threshold).toBe(0.5); // the manifest's default
    await expect(
      restore(model, { pixels: { width: 140, height: 90, data }, strength: 2 }, session),
    ).rejects.toThrow(/strength must be between 0 and 1/);
  });

  it('stops between tiles when cancelled', async () => {
    const model = await loadModelDir(FIXTURE_DIR);
    const controller = new AbortController();
    const seen: number[] = [];
    const job = restore(
      model,
      { pixels: { width: 640, height: 384, data: texture8(640, 384) }, maps: false },
      {
        ...session,
        signal: controller.signal,
        onProgress: ({ done }) => {
          seen.push(done);
          if (done === 2) controller.abort();
        },
      },
    );
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toEqual([1, 2]);
  });
});
