import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageError, decodePhoto, saveMask, sidecarPath } from '../../src-main/imaging';
import { InferenceEngine } from '../../src-main/inference';
import { restorePhoto } from '../../src-main/restore';
import { CAN_DENY_READS, asNobody, lockedPhoto, makePhoto, tempFolder } from '../imaging/helpers';
import { FIXTURE_DIR } from '../inference/helpers';

const engine = new InferenceEngine();
afterAll(() => engine.close());

const base = { modelDir: FIXTURE_DIR, device: 'cpu' as const, threads: 1 };

function maskData(width: number, height: number, value: (x: number, y: number) => number): Uint8Array {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return data;
}

describe('restore service', () => {
  it('keeps protected pixels bit-exact in PNG output and changes the forced ones', async () => {
    const folder = await tempFolder();
    const [width, height] = [200, 150];
    const input = await makePhoto(folder, 'photo.png', { width, height });
    const mask = join(folder, 'brush.png');
    await saveMask(mask, { width, height, data: maskData(width, height, (x) => (x < 90 ? 0 : 255)) });
    const report = await restorePhoto(engine, { ...base, input, mask, saveMaps: true });
    expect(report.output).toBe(join(folder, 'photo-deblurred.png'));
    expect(report.mask).toBe(mask);
    const original = await decodePhoto(input);
    const restored = await decodePhoto(report.output);
    let changed = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * width + x) * 3 + c;
          if (x < 90) expect(restored.data[i]).toBe(original.data[i]);
          else if (restored.data[i] !== original.data[i]) changed++;
        }
      }
    }
    expect(changed).toBeGreaterThan(0);
    const conf = await sharp(report.maps!.confidence).metadata();
    expect(conf).toMatchObject({ width, height, channels: 1 });
    const decisions = await sharp(report.maps!.decisions!).metadata();
    expect(decisions).toMatchObject({ width: 9 * Math.ceil(width / 8), height: Math.ceil(height / 8) });
  });

  it('protecting everything with --save-maps: the photo written, the maps say nothing was processed', async () => {
    const folder = await tempFolder();
    const [width, height] = [170, 140];
    const input = await makePhoto(folder, 'photo.png', { width, height });
    await saveMask(sidecarPath(input), { width, height, data: new Uint8Array(width * height) });
    const report = await restorePhoto(engine, { ...base, input, saveMaps: true });
    expect(report.tiles).toMatchObject({ run: 0 });
    expect(existsSync(report.output)).toBe(true);
    const { data, info } = await sharp(report.maps!.decisions!).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 9 * Math.ceil(width / 8), height: Math.ceil(height / 8) });
    expect(data.every((v) => v === 0)).toBe(true);
  });

  it('uses the sidecar mask; protecting everything gives the original back (16-bit TIFF too)', async () => {
    const folder = await tempFolder();
    for (const [name, depth] of [
      ['photo.png', 8],
      ['photo16.tif', 16],
    ] as const) {
      const input = await makePhoto(folder, name, { width: 170, height: 140, depth });
      await saveMask(sidecarPath(input), { width: 170, height: 140, data: new Uint8Array(170 * 140) });
      const report = await restorePhoto(engine, { ...base, input });
      expect(report.mask).toBe(sidecarPath(input));
      expect(report.tiles).toMatchObject({ run: 0, skipped: 1 });
      const original = await decodePhoto(input);
      const restored = await decodePhoto(report.output);
      expect(restored.depth).toBe(depth);
      expect(restored.data).toEqual(original.data);
    }
  });

  it('refuses an output format that cannot hold the photo before any inference', async () => {
    const folder = await tempFolder();
    const input = await makePhoto(folder, 'wide.png', { width: 16400, height: 8 });
    // No model there: only a refusal before inference can give the size error.
    const request = { ...base, modelDir: join(folder, 'no-model'), input, format: 'webp' as const };
    const error = await restorePhoto(engine, request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toMatchObject({ code: 'too-large', path: join(folder, 'wide-deblurred.webp') });
    expect((error as Error).message).toMatch(/16400x8 is too large for WEBP/);
  });

  it('writes to a folder or a named file in another format, never over the input', async () => {
    const folder = await tempFolder();
    const input = await makePhoto(folder, 'photo.jpg', { width: 130, height: 130 });
    const out = join(folder, 'out');
    const intoFolder = await restorePhoto(engine, { ...base, input, output: `${out}/`, format: 'webp' });
    expect(intoFolder.output).toBe(join(out, 'photo-deblurred.webp'));
    expect((await sharp(intoFolder.output).metadata()).format).toBe('webp');
    await expect(restorePhoto(engine, { ...base, input, output: input })).rejects.toThrow(
      /refusing to overwrite the original photo/,
    );
    expect(existsSync(join(folder, 'photo-deblurred.jpg'))).toBe(false);
  });

  it('never writes over the mask it is restored with (named or sidecar), before any inference', async () => {
    const folder = await tempFolder();
    const input = await makePhoto(folder, 'photo.png', { width: 64, height: 64 });
    const brush = join(folder, 'brush.png');
    await saveMask(brush, { width: 64, height: 64, data: new Uint8Array(64 * 64).fill(255) });
    await saveMask(sidecarPath(input), { width: 64, height: 64, data: new Uint8Array(64 * 64) });
    const before = [await readFile(brush), await readFile(sidecarPath(input))];
    // No model there: only a refusal before inference gives the protected error.
    const noModel = { ...base, modelDir: join(folder, 'no-model') };
    for (const request of [
      { ...noModel, input, mask: brush, output: brush },
      { ...noModel, input, output: sidecarPath(input) },
    ]) {
      const error = await restorePhoto(engine, request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageError);
      expect(error).toMatchObject({ code: 'protected' });
      expect((error as Error).message).toMatch(
        /refusing to overwrite the mask .* this photo is restored with/,
      );
    }
    // Through a link to the mask: caught before the work too.
    const link = join(folder, 'link.png');
    await symlink(brush, link);
    await expect(
      restorePhoto(engine, { ...noModel, input, mask: brush, output: link }),
    ).rejects.toMatchObject({
      code: 'protected',
    });
    expect([await readFile(brush), await readFile(sidecarPath(input))]).toEqual(before);
  });

  it('finds an output folder it cannot make before any inference', async () => {
    const folder = await tempFolder();
    const input = await makePhoto(folder, 'photo.png', { width: 64, height: 64 });
    const request = { ...base, modelDir: join(folder, 'no-model'), input, output: join(input, 'out.png') };
    const error = await restorePhoto(engine, request).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'write-failed', path: join(input, 'out.png') });
    expect((error as Error).message).toMatch(
      /no folder can be made there \(.*photo\.png or a folder above it is a file\)/,
    );
  });

  it('fails clearly on a corrupt photo and writes nothing', async () => {
    const folder = await tempFolder();
    const input = await makePhoto(folder, 'photo.jpg', { width: 300, height: 200 });
    const { readFile, writeFile } = await import('node:fs/promises');
    const bytes = await readFile(input);
    await writeFile(input, bytes.subarray(0, bytes.length / 3));
    await expect(restorePhoto(engine, { ...base, input })).rejects.toThrow(/damaged or truncated/);
    expect(existsSync(join(folder, 'photo-deblurred.jpg'))).toBe(false);
  });

  it('fails a photo we may not read as permission denied (not "not an image format") and writes nothing', async (context) => {
    if (!CAN_DENY_READS) return context.skip('cannot change the effective user here');
    const folder = await tempFolder();
    const input = await lockedPhoto(folder, 'locked.jpg');
    const error = await asNobody(() => restorePhoto(engine, { ...base, input })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toMatchObject({
      code: 'denied',
      message: `${input}: permission denied: it cannot be read (EACCES)`,
    });
    expect(existsSync(join(folder, 'locked-deblurred.jpg'))).toBe(false);
  });
});
