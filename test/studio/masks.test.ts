// Mask sidecars through the ipc dispatch: save and load back, removal when nothing is painted, PhotoInfo.hasMask,
// and clear errors for a sidecar of the wrong size, a damaged one, a mask of the wrong size and a read-only folder.
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type GrayImage, type PhotoInfo, type SaveMaskResult } from '../../src-main/contract';
import { sidecarPath } from '../../src-main/imaging';
import { makePhoto, tempFolder } from '../imaging/helpers';
import { makeReadOnly } from '../jobs/helpers';
import { maskOf, ok, testStudio } from './helpers';

const { call, open } = testStudio();
const [width, height] = [64, 48];

async function openPhoto(): Promise<{ path: string; info: PhotoInfo }> {
  const path = await makePhoto(await tempFolder(), 'shot.jpg', { width, height });
  return { path, info: await open(path) };
}

describe('mask sidecars', () => {
  it('saves the mask next to the photo, loads it back, and removes it when everything is auto', async () => {
    const { path, info } = await openPhoto();
    expect(ok(await call(CHANNELS.loadMask, info.id))).toBeUndefined();
    const mask = maskOf(width, height, (x, y) => (x < 20 ? 0 : y < 10 ? 255 : 128));
    const saved = ok<SaveMaskResult>(await call(CHANNELS.saveMask, { photoId: info.id, mask }));
    expect(saved).toEqual({ file: 'shot.jpg.mask.png' });
    expect(await readdir(dirname(path))).toEqual(['shot.jpg', 'shot.jpg.mask.png']);
    expect(await sharp(sidecarPath(path)).metadata()).toMatchObject({ format: 'png', width, height });
    expect(ok<PhotoInfo>(await call(CHANNELS.getPhoto, info.id)).hasMask).toBe(true);

    const loaded = ok<GrayImage>(await call(CHANNELS.loadMask, info.id));
    expect(loaded).toMatchObject({ width, height });
    expect(loaded.data).toEqual(mask.data);

    const auto = maskOf(width, height, (x) => 64 + (x % 128));
    expect(ok(await call(CHANNELS.saveMask, { photoId: info.id, mask: auto }))).toEqual({ file: undefined });
    expect(existsSync(sidecarPath(path))).toBe(false);
    expect(ok<PhotoInfo>(await call(CHANNELS.getPhoto, info.id)).hasMask).toBe(false);
    // No mask at all also removes (nothing there: still fine).
    expect(ok(await call(CHANNELS.saveMask, { photoId: info.id }))).toEqual({ file: undefined });
    expect(await readdir(dirname(path))).toEqual(['shot.jpg']);
  });

  it('says when the sidecar has the wrong size or is damaged, and refuses a mask of the wrong size', async () => {
    const { path, info } = await openPhoto();
    await sharp(Buffer.alloc(10 * 10), { raw: { width: 10, height: 10, channels: 1 } })
      .png()
      .toFile(sidecarPath(path));
    expect(await call(CHANNELS.loadMask, info.id)).toMatchObject({
      ok: false,
      error: { code: 'failed', message: expect.stringMatching(/the mask is 10x10 but the photo is 64x48/) },
    });
    await writeFile(sidecarPath(path), Buffer.from('\x89PNG\r\n\x1a\n not really a png'));
    expect(await call(CHANNELS.loadMask, info.id)).toMatchObject({
      ok: false,
      error: { code: 'failed', message: expect.stringContaining('shot.jpg.mask.png') },
    });
    const wrong = maskOf(width, height + 1, () => 255);
    expect(await call(CHANNELS.saveMask, { photoId: info.id, mask: wrong })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/64x49 but the photo is 64x48/) },
    });
  });

  it('names the folder when it is read-only', async (context) => {
    const { path, info } = await openPhoto();
    const folder = dirname(path);
    const undo = await makeReadOnly(folder);
    if (!undo) return context.skip('this machine cannot make a folder read-only (no chattr)');
    try {
      const mask = maskOf(width, height, () => 255);
      expect(await call(CHANNELS.saveMask, { photoId: info.id, mask })).toEqual({
        ok: false,
        error: { code: 'failed', message: `could not save the mask: the folder ${folder} is read-only` },
      });
    } finally {
      await undo();
    }
    expect(await readdir(folder)).toEqual(['shot.jpg']);
  });
});
