// The `deblur` command, spawned as users run it: node src-main/cli/deblur.js.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makePhoto, tempFolder } from '../imaging/helpers';
import { FIXTURE_DIR } from '../inference/helpers';
import { deblur, deblurWithEnv } from './helpers';

describe('deblur command', () => {
  it('restores a JPEG keeping orientation, ICC and EXIF GPS, with one JSON object', async () => {
    const folder = await tempFolder();
    const input = await makePhoto(folder, 'photo.jpg', {
      width: 160,
      height: 130,
      orientation: 6,
      icc: 'p3',
      exif: true,
    });
    const output = join(folder, 'out.jpg');
    const run = await deblur(input, '-o', output, '--json', '--model', FIXTURE_DIR, '--device', 'auto');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim());
    expect(report).toMatchObject({ input, output, provider: 'cpu', tiles: { run: 1, skipped: 0 } });
    if (process.platform === 'linux') expect(report.fallbackReason).toMatch(/CUDA/);
    expect(report.keptRatio).toBeGreaterThan(0);
    expect(report.seconds).toBeGreaterThan(0);
    const [source, result] = await Promise.all([sharp(input).metadata(), sharp(output).metadata()]);
    // Pixels are stored upright (130 wide after the 90-degree orientation), tagged orientation 1.
    expect(result).toMatchObject({ width: 130, height: 160, orientation: 1, format: 'jpeg' });
    expect(result.icc).toEqual(source.icc);
    const gps = exifReader(result.exif!).GPSInfo;
    expect(gps).toMatchObject({ GPSLatitudeRef: 'N', GPSLongitudeRef: 'E' });
    expect(gps?.GPSLatitude).toEqual([48, 51, 24]);
  });

  it('exits 1 with a clear message and no output file for a corrupt photo, 0-1 per photo', async () => {
    const folder = await tempFolder();
    const good = await makePhoto(folder, 'good.png', { width: 130, height: 130 });
    const bad = join(folder, 'bad.jpg');
    const bytes = await readFile(await makePhoto(folder, 'whole.jpg', { width: 300, height: 300 }));
    await writeFile(bad, bytes.subarray(0, 200));
    const run = await deblur(bad, good, '--model', FIXTURE_DIR);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}: failed:`);
    expect(existsSync(join(folder, 'bad-deblurred.jpg'))).toBe(false);
    expect(existsSync(join(folder, 'good-deblurred.png'))).toBe(true);
    expect(run.stderr).toMatch(/CUDA unavailable/); // the fallback reason, printed once in plain mode
  });

  it('exits 2 on usage errors, and uses the shipped default model with no --model', async () => {
    const folder = await tempFolder();
    const input = await makePhoto(folder, 'p.png', { width: 20, height: 20 });
    expect((await deblur()).code).toBe(2);
    expect((await deblur(input, '--threshold', '1.5')).code).toBe(2);
    expect((await deblur(input, '--device', 'tpu')).code).toBe(2);
    const tile = await deblur(input, '--model', FIXTURE_DIR, '--tile', '200');
    expect(tile).toMatchObject({ code: 2 });
    expect(tile.stderr).toMatch(/--tile must be a multiple of 128/);
    // No --model: the shipped default (manifest "default": true) runs; "none installed" is tested in
    // test/restore/models.test.ts. An empty user models folder keeps a user's own default out of it.
    const byDefault = await deblurWithEnv({ DEBLUR_MODELS_DIR: folder }, input, '--json');
    expect(byDefault.code).toBe(0);
    const shipped = resolve(import.meta.dirname, '..', '..', 'models', 'lmdvit-e8');
    expect(JSON.parse(byDefault.stdout.trim().split('\n')[0]!)).toMatchObject({ model: shipped });
    const help = await deblur('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--save-maps/);
  });

  it('-o: an existing folder may have a dot in its name; a named file of another format is a usage error', async () => {
    const folder = await tempFolder();
    const a = await makePhoto(folder, 'a.png', { width: 40, height: 30 });
    const b = await makePhoto(folder, 'b.png', { width: 40, height: 30 });
    const album = join(folder, 'album.2024');
    await mkdir(album);
    const run = await deblur(a, b, '-o', album, '--model', FIXTURE_DIR);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(album, 'a-deblurred.png')) && existsSync(join(album, 'b-deblurred.png'))).toBe(
      true,
    );
    expect((await deblur(a, b, '-o', join(folder, 'one.png'), '--model', FIXTURE_DIR)).code).toBe(2);
    const clash = await deblur(a, '-o', join(folder, 'out.jpg'), '--format', 'png', '--model', FIXTURE_DIR);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/out\.jpg ends in \.jpg, which is not PNG/);
    expect(existsSync(join(folder, 'out.jpg'))).toBe(false);
  });

  it('never writes over another photo of the command or an output it wrote before', async () => {
    const folder = await tempFolder();
    const a = await makePhoto(folder, 'a.png', { width: 40, height: 30 });
    const original = await makePhoto(folder, 'a-deblurred.png', { width: 50, height: 30 }); // a photo too
    const before = await readFile(original);
    const clash = await deblur(a, original, '--model', FIXTURE_DIR);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`${original}: refusing to overwrite another photo given to this command`);
    expect(await readFile(original)).toEqual(before);
    expect(existsSync(join(folder, 'a-deblurred-deblurred.png'))).toBe(true); // the other photo still ran

    await Promise.all(['x', 'y'].map((name) => mkdir(join(folder, name))));
    const x = await makePhoto(join(folder, 'x'), 'p.png', { width: 40, height: 30 });
    const y = await makePhoto(join(folder, 'y'), 'p.png', { width: 60, height: 30 });
    const out = join(folder, 'out');
    const same = await deblur(x, y, '-o', `${out}/`, '--model', FIXTURE_DIR);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain(`refusing to overwrite the output of ${x}, written before it in this run`);
    expect((await sharp(join(out, 'p-deblurred.png')).metadata()).width).toBe(40); // x's, not replaced by y's
  });
});
