// The studio's restore with the editor's mask, loupe regions, decision grids and "Detect blur", through the ipc
// dispatch with the fixture model, real sharp and real files.
import { access, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  type DecisionGrids,
  type DetectResult,
  type PhotoInfo,
  type RestoredInfo,
} from '../../src-main/contract';
import { decodePhoto, mapToGray, saveMask, sidecarPath } from '../../src-main/imaging';
import { InferenceEngine } from '../../src-main/inference';
import { engineJob } from '../../src-main/restore';
import { stageLevels, toDecisionGrids } from '../../src-main/studio/decisions';
import { makePhoto, tempFolder } from '../imaging/helpers';
import { FIXTURE_DIR } from '../inference/helpers';
import { maskOf, ok, rgb8, testStudio } from './helpers';

const { studio, call, events, cacheDir } = testStudio();
const [width, height] = [200, 150];
/** Protect the left 96 columns, force the rest. */
const protectLeft = maskOf(width, height, (x) => (x < 96 ? 0 : 255));

/** Stage k's cell (x, y) of the grids. */
const cell = (grids: DecisionGrids, k: number, x: number, y: number) =>
  grids.data[(k * grids.height + y) * grids.width + x]!;

function expectShape(grids: DecisionGrids, size: { width: number; height: number }): void {
  expect(grids).toMatchObject({
    count: 9,
    factor: 8,
    width: Math.ceil(size.width / 8),
    height: Math.ceil(size.height / 8),
    windows: [8, 16, 32, 64, 128, 64, 32, 16, 8],
  });
  expect(grids.data).toBeInstanceOf(Uint8Array);
  expect(grids.data.length).toBe(9 * grids.width * grids.height);
}

async function openPhoto(): Promise<{ path: string; info: PhotoInfo }> {
  const path = await makePhoto(await tempFolder(), 'street.png', { width, height });
  const info = ok<{ photos: PhotoInfo[] }>(await call(CHANNELS.addPaths, [path])).photos[0]!;
  return { path, info };
}

describe('studio restore', () => {
  it('stage levels follow the U shape for 9 stages and fall back to it for other counts', () => {
    expect(stageLevels(9)).toEqual([0, 1, 2, 3, 4, 3, 2, 1, 0]);
    expect(stageLevels(5)).toEqual([0, 1, 2, 1, 0]);
    expect(stageLevels(1)).toEqual([0]);
  });

  it("restores with the editor's mask: protected pixels exact, forced windows processed, protected not", async () => {
    const { path, info } = await openPhoto();
    expect(info.hasMask).toBe(false);
    const restored = ok<RestoredInfo>(
      await call(CHANNELS.restore, { jobId: 'mask-1', photoId: info.id, device: 'cpu', mask: protectLeft }),
    );
    expect(restored).toMatchObject({
      width,
      height,
      region: undefined,
      url: `deblur-photo://result/${info.id}?v=mask-1`,
    });
    // Progress under the request's job id (the renderer follows its own job's events by it).
    expect(events).toContainEqual({
      event: 'event:progress',
      payload: expect.objectContaining({ jobId: 'mask-1', photoId: info.id }),
    });

    const original = await decodePhoto(path);
    const result = await studio.image('result', info.id);
    expect(result.mime).toBe('image/png');
    const pixels = await rgb8(result.data);
    expect([pixels.width, pixels.height]).toEqual([width, height]);
    let changed = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * width + x) * 3 + c;
          if (x < 96) expect(pixels.data[i]).toBe(original.data[i]);
          else if (pixels.data[i] !== original.data[i]) changed++;
        }
      }
    }
    expect(changed).toBeGreaterThan(0);

    const grids = restored.decisions;
    expectShape(grids, { width, height });
    const stage0 = (x: number, y: number) => cell(grids, 0, x, y);
    // Cells of 8 px: columns 0..11 lie wholly in the protected part, 12.. in the forced part.
    for (let y = 0; y < grids.height; y++) {
      for (let x = 0; x < 12; x++) expect(stage0(x, y)).toBe(0);
      for (let x = 12; x < grids.width; x++) expect(stage0(x, y)).toBe(255);
    }
    expect(ok<PhotoInfo>(await call(CHANNELS.getPhoto, info.id)).restored?.jobId).toBe('mask-1');
  });

  it('refuses a mask of another size, and a payload whose mask data does not match its size', async () => {
    const { info } = await openPhoto();
    const small = maskOf(width - 1, height, () => 255);
    expect(await call(CHANNELS.restore, { jobId: 'bad-1', photoId: info.id, mask: small })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/199x150 but the photo is 200x150/) },
    });
    const lying = { width, height, data: new Uint8Array(10) };
    expect(await call(CHANNELS.restore, { jobId: 'bad-2', photoId: info.id, mask: lying })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/mask.data/) },
    });
  });

  it('uses the sidecar when the request has no mask', async () => {
    const { path, info } = await openPhoto();
    await saveMask(
      sidecarPath(path),
      maskOf(width, height, () => 0),
    );
    const restored = ok<RestoredInfo>(await call(CHANNELS.restore, { jobId: 'side-1', photoId: info.id }));
    expect(restored.tiles).toMatchObject({ run: 0 });
    // No tile ran: the grids (shape from the manifest) say nothing was processed.
    expectShape(restored.decisions, { width, height });
    expect(restored.decisions.data.every((v) => v === 0)).toBe(true);
    const pixels = await rgb8((await studio.image('result', info.id)).data);
    expect(pixels.data.equals(Buffer.from((await decodePhoto(path)).data))).toBe(true);
  });

  it('restores a loupe region as a preview and leaves the full result as it was', async () => {
    const { path, info } = await openPhoto();
    const full = ok<RestoredInfo>(await call(CHANNELS.restore, { jobId: 'full-1', photoId: info.id }));
    const before = (await studio.image('result', info.id)).data;

    const region = { x: 40, y: 30, width: 100, height: 80 };
    const preview = ok<RestoredInfo>(
      await call(CHANNELS.restore, { jobId: 'loupe-1', photoId: info.id, region, mask: protectLeft }),
    );
    expect(preview).toMatchObject({
      region,
      width: 100,
      height: 80,
      url: `deblur-photo://preview/${info.id}?v=loupe-1`,
    });
    expectShape(preview.decisions, region);
    const shown = await studio.image('preview', info.id);
    expect(shown.mime).toBe('image/png');
    const pixels = await rgb8(shown.data);
    expect([pixels.width, pixels.height]).toEqual([100, 80]);
    // The mask is cut with the region: its protected columns (photo x < 96) are the original's pixels.
    const original = await decodePhoto(path);
    for (let y = 0; y < 80; y++) {
      for (let x = 0; x < 56; x++) {
        const i = (y * 100 + x) * 3;
        const o = ((y + 30) * width + x + 40) * 3;
        expect([...pixels.data.subarray(i, i + 3)]).toEqual([...original.data.subarray(o, o + 3)]);
      }
    }

    const photo = ok<PhotoInfo>(await call(CHANNELS.getPhoto, info.id));
    expect(photo.restored).toEqual(full);
    expect((await studio.image('result', info.id)).data.equals(before)).toBe(true);
  });

  it('refuses a job id already used for the photo, which would remove its live result', async () => {
    const { info } = await openPhoto();
    ok(await call(CHANNELS.restore, { jobId: 'again-1', photoId: info.id }));
    const before = (await studio.image('result', info.id)).data;
    const region = { x: 0, y: 0, width: 50, height: 50 };
    for (const request of [
      { jobId: 'again-1', photoId: info.id },
      { jobId: 'again-1', photoId: info.id, region },
      { jobId: 'AGAIN-1', photoId: info.id },
    ]) {
      expect(await call(CHANNELS.restore, request)).toMatchObject({
        ok: false,
        error: { code: 'invalid-request', message: expect.stringMatching(/already used/) },
      });
    }
    expect(ok<PhotoInfo>(await call(CHANNELS.getPhoto, info.id)).restored?.jobId).toBe('again-1');
    expect((await studio.image('result', info.id)).data.equals(before)).toBe(true);
    // A new id replaces the result as before.
    ok(await call(CHANNELS.restore, { jobId: 'again-2', photoId: info.id }));
    expect(ok<PhotoInfo>(await call(CHANNELS.getPhoto, info.id)).restored?.jobId).toBe('again-2');
    expect((await studio.image('result', info.id)).mime).toBe('image/png');
  });

  it('cuts a region at the photo edge and refuses one outside the photo', async () => {
    const { info } = await openPhoto();
    const edge = ok<RestoredInfo>(
      await call(CHANNELS.restore, {
        jobId: 'edge-1',
        photoId: info.id,
        region: { x: 150, y: 100, width: 300, height: 300 },
      }),
    );
    expect(edge.region).toEqual({ x: 150, y: 100, width: 50, height: 50 });
    expect((await rgb8((await studio.image('preview', info.id)).data)).width).toBe(50);
    await expect(studio.image('result', info.id)).rejects.toThrow(/no result/);
    const outside = await call(CHANNELS.restore, {
      jobId: 'out-1',
      photoId: info.id,
      region: { x: 200, y: 0, width: 10, height: 10 },
    });
    expect(outside).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it("detects: the model's confidence at the photo's size and its decisions, nothing written", async () => {
    const { path, info } = await openPhoto();
    const detected = ok<DetectResult>(await call(CHANNELS.detect, { jobId: 'detect-1', photoId: info.id }));
    expect(detected).toMatchObject({ jobId: 'detect-1', provider: 'cpu', threshold: 0.5 });
    expect(detected.confidence).toMatchObject({ width, height });
    expect(detected.confidence.data).toBeInstanceOf(Uint8Array);
    expect(detected.confidence.data.length).toBe(width * height);
    // The same numbers as the engine's own run on the photo (0..1 as 0..255), with no guide.
    const engine = new InferenceEngine();
    try {
      const settings = { modelDir: FIXTURE_DIR, device: 'cpu' as const, threads: 1 };
      const direct = await engine.restore(engineJob(settings, await decodePhoto(path), undefined, true));
      expect(detected.confidence.data).toEqual(mapToGray({ width, height, data: direct.confidence! }));
      expect(detected.decisions.data).toEqual(toDecisionGrids(direct.decisions!).data);
      expect(detected.keptRatio).toBe(direct.keptRatio);
    } finally {
      await engine.close();
    }
    expectShape(detected.decisions, { width, height });
    expect(events.some((e) => (e.payload as { jobId?: string }).jobId === 'detect-1')).toBe(true);
    expect(ok<PhotoInfo>(await call(CHANNELS.getPhoto, info.id))).toMatchObject({
      restored: undefined,
      hasMask: false,
    });
    expect(await readdir(dirname(path))).toEqual(['street.png']);
  });

  it('cancels a detect job by its id', async () => {
    const { info } = await openPhoto();
    const running = call(CHANNELS.detect, { jobId: 'detect-2', photoId: info.id });
    expect(ok(await call(CHANNELS.cancel, 'detect-2'))).toBe(true);
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('cancels a restore by its job id, and not by another id', async () => {
    const { info } = await openPhoto();
    const running = call(CHANNELS.restore, { jobId: 'run-cancel', photoId: info.id });
    expect(ok(await call(CHANNELS.cancel, info.id))).toBe(false); // the photo's id is no job's
    expect(ok(await call(CHANNELS.cancel, 'run-cancel'))).toBe(true);
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(ok(await call(CHANNELS.cancel, 'run-cancel'))).toBe(false); // ended: nothing left to stop
    expect(ok<PhotoInfo>(await call(CHANNELS.getPhoto, info.id)).restored).toBeUndefined();
  });

  it('closing a photo stops its running restore, which writes nothing into the removed cache', async () => {
    const { info } = await openPhoto();
    const running = call(CHANNELS.restore, { jobId: 'close-1', photoId: info.id });
    expect(ok(await call(CHANNELS.closePhoto, info.id))).toBe(true);
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await expect(access(join(cacheDir, info.id))).rejects.toThrow(/ENOENT/);
    expect(await call(CHANNELS.getPhoto, info.id)).toMatchObject({ ok: false });
  });
});
