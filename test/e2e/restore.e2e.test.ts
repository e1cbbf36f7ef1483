// End to end: the built renderer in headless Chromium, backed by the real studio services (sharp, the inference
// worker, the shipped default model) through the same ipc dispatch as Electron, over the test bridge.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from './bridge/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

const SHOTS = resolve(import.meta.dirname, 'screenshots');
/** The shipped models: the e2e runs the app's real default model. */
const MODELS = resolve(import.meta.dirname, '..', '..', 'models');
let bridge: Bridge;
let browser: Browser;
let page: Page;
let folder: string;

/** A checkerboard photo with a horizontally smeared band (local motion blur) at rows band[0]..band[1]. */
function blurredPixels(width: number, height: number, band: [number, number]): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const checker = ((x >> 4) + (y >> 4)) % 2 ? 200 : 40;
      let value = checker;
      if (y > band[0] && y < band[1]) {
        let sum = 0;
        for (let k = -12; k <= 12; k++) sum += (((x + k) >> 4) + (y >> 4)) % 2 ? 200 : 40;
        value = Math.round(sum / 25);
      }
      const i = (y * width + x) * 3;
      data[i] = value;
      data[i + 1] = Math.round(value * 0.8 + 20);
      data[i + 2] = Math.round(value * 0.6 + 30);
    }
  }
  return data;
}

async function makeBlurredPhoto(path: string): Promise<void> {
  await sharp(blurredPixels(320, 224, [80, 150]), { raw: { width: 320, height: 224, channels: 3 } })
    .png()
    .toFile(path);
}

/** Decoded RGB pixels of an image URL the page loads (fetched from the bridge, decoded with sharp). */
async function pixels(src: string): Promise<Buffer> {
  const response = await fetch(new URL(src, bridge.url));
  expect(response.status).toBe(200);
  return sharp(Buffer.from(await response.arrayBuffer()))
    .removeAlpha()
    .raw()
    .toBuffer();
}

interface Img {
  complete: boolean;
  naturalWidth: number;
}
const loadedWidth = (img: unknown) => ((img as Img).complete ? (img as Img).naturalWidth : 0);

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'deblur-e2e-'));
  bridge = await startBridge({
    registry: { shipped: MODELS, user: join(folder, 'no-user-models') },
    cacheDir: join(folder, 'cache'),
    threads: 1,
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  page.on('pageerror', (error) => console.error('page error:', error));
  await mkdir(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('editor end to end', () => {
  it('opens a photo, restores it with the shipped model, and compares before and after', async () => {
    const photo = join(folder, 'street.png');
    await makeBlurredPhoto(photo);
    await page.goto(bridge.url);
    await expect.poll(() => page.getByText('No photo open').isVisible()).toBe(true);

    bridge.openAnswers.push([photo]);
    await page.getByRole('button', { name: 'Open…' }).click();
    const before = page.getByRole('img', { name: 'Original: street.png' });
    await before.waitFor();
    await expect.poll(() => before.evaluate(loadedWidth)).toBe(320);
    await expect.poll(() => page.getByRole('button', { name: 'street.png' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, '1-viewer.png') });

    await page.getByRole('button', { name: 'Run' }).click();
    const device = page.getByTestId('device');
    await device.waitFor({ timeout: 60_000 });
    expect(await device.textContent()).toBe('CPU');
    const after = page.getByRole('img', { name: 'Restored: street.png' });
    await expect.poll(() => after.evaluate(loadedWidth)).toBe(320);
    expect(await page.getByRole('button', { name: 'street.png (restored)' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(/Kept windows/).isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, '2-compare.png') });

    const beforePixels = await pixels((await before.getAttribute('src'))!);
    const afterPixels = await pixels((await after.getAttribute('src'))!);
    expect(afterPixels).toHaveLength(beforePixels.length);
    expect(beforePixels.length).toBe(320 * 224 * 3);
    // The restored image is the model's output, not the original passed through. Where it changes is not
    // checked: on this artificial smeared checkerboard every shipped version processes windows of the sharp
    // squares rather than the band (1.6.0: 154 of 1439 changed values in the band; 1.7.0: 0 of 814).
    const changed = afterPixels.filter((value, i) => value !== beforePixels[i]).length;
    expect(changed).toBeGreaterThan(0);

    // Hold O: the original covers the whole view; 100 % by key.
    await page.keyboard.down('o');
    await expect.poll(() => page.getByText('Original', { exact: true }).isVisible()).toBe(true);
    await page.keyboard.up('o');
    await page.keyboard.press('z');
    await expect.poll(() => page.getByText('100 %', { exact: true }).count()).toBeGreaterThan(0);
  });
});

/** Non-transparent pixels on the overlay's bottom canvas (the analysis layer). */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
}
function overlayPixels(element: unknown): number {
  const canvas = (element as { querySelector(selector: string): Canvas }).querySelector('canvas');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]) count++;
  return count;
}

/** Screen point of a photo pixel, from where the original image is drawn now. */
async function screenPoint(photoWidth: number, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByRole('img', { name: /^Original:/ }).boundingBox())!;
  const k = box.width / photoWidth;
  return { x: box.x + x * k, y: box.y + y * k };
}

/** A brush stroke from (x0, y) to (x1, y) in photo pixels, with many pointer moves. */
async function stroke(photoWidth: number, y: number, x0: number, x1: number): Promise<void> {
  const from = await screenPoint(photoWidth, x0, y);
  const to = await screenPoint(photoWidth, x1, y);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

/** The saved sidecar's value at photo pixels. */
async function sidecarAt(photo: string, points: [number, number][]): Promise<number[]> {
  const { data, info } = await sharp(`${photo}.mask.png`).raw().toBuffer({ resolveWithObject: true });
  return points.map(([x, y]) => data[(y * info.width + x) * info.channels]!);
}

describe('mask editor end to end', () => {
  const [W, H] = [384, 256];
  const PROTECT_Y = 48; // protect stroke along this row, x 40..200, with the default 64 px brush
  const FORCE_Y = 190; // force stroke along this row, x 200..340, inside the blurred band

  it('detects blur, paints protect and force strokes, undoes and redoes, runs, previews and exports', async () => {
    const photo = join(folder, 'walk.jpg');
    await sharp(blurredPixels(W, H, [150, 230]), { raw: { width: W, height: H, channels: 3 } })
      .withExif({ IFD0: { Make: 'DeblurTestCam', Model: 'E2E' } })
      .jpeg({ quality: 95 })
      .toFile(photo);
    bridge.openAnswers.push([photo]);
    await page.getByRole('button', { name: 'Open…' }).click();
    const before = page.getByRole('img', { name: 'Original: walk.jpg' });
    await expect.poll(() => before.evaluate(loadedWidth)).toBe(W);

    // Detect blur: the model's confidence and window decisions as an overlay.
    await page.getByRole('button', { name: 'Mask', exact: true }).click();
    await page.getByRole('button', { name: 'Detect blur' }).click();
    await expect.poll(() => page.getByText(/% of windows/).isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByLabel('Analysis overlay').inputValue()).toBe('detected');
    // Some stage of the model keeps windows: its cells and window grid are drawn.
    const drawn: number[] = [];
    for (const stage of ['Encoder 1', 'Encoder 2', 'Encoder 3', 'Bottleneck']) {
      await page.getByLabel('Stage').selectOption({ label: stage });
      await page.evaluate('new Promise(requestAnimationFrame)');
      drawn.push(await page.getByTestId('mask-overlay').evaluate(overlayPixels));
    }
    expect(Math.max(...drawn)).toBeGreaterThan(1000);
    await page.getByLabel('Stage').selectOption({ index: drawn.indexOf(Math.max(...drawn)) });
    await page.screenshot({ path: join(SHOTS, '3-detect.png') });

    // Paint: protect across the sharp top, force across the blurred band.
    await page.getByLabel('Analysis overlay').selectOption('none');
    expect(await page.getByTestId('brush-size').textContent()).toBe('64 px');
    await page.getByRole('button', { name: 'Protect', exact: true }).click();
    await stroke(W, PROTECT_Y, 40, 200);
    await page.getByRole('button', { name: 'Force', exact: true }).click();
    await stroke(W, FORCE_Y, 200, 340);
    await page.screenshot({ path: join(SHOTS, '4-mask.png') });

    // The sidecar holds both strokes; undo takes back exactly the force stroke, redo brings it back.
    const probes: [number, number][] = [
      [120, PROTECT_Y],
      [270, FORCE_Y],
      [20, 120],
    ];
    const save = page.getByRole('button', { name: 'Save mask' });
    await save.click();
    await expect.poll(async () => existsSync(`${photo}.mask.png`) && !(await save.isEnabled())).toBe(true);
    expect(await sidecarAt(photo, probes)).toEqual([0, 255, 128]);
    await page.keyboard.press('Control+z');
    await save.click();
    await expect.poll(() => sidecarAt(photo, probes)).toEqual([0, 128, 128]);
    await page.keyboard.press('Control+Shift+Z');
    await save.click();
    await expect.poll(() => sidecarAt(photo, probes)).toEqual([0, 255, 128]);
    expect(await page.getByRole('button', { name: 'walk.jpg (mask)' }).isVisible()).toBe(true);

    // Run with the mask: protected pixels unchanged, forced windows processed.
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByRole('button', { name: 'Run' }).click();
    const after = page.getByRole('img', { name: 'Restored: walk.jpg' });
    await expect.poll(() => after.evaluate(loadedWidth), { timeout: 60_000 }).toBe(W);
    const original = await pixels((await before.getAttribute('src'))!);
    const restored = await pixels((await after.getAttribute('src'))!);
    let protectedDiffs = 0;
    for (let y = PROTECT_Y - 16; y <= PROTECT_Y + 16; y++) {
      for (let x = 56; x <= 184; x++) {
        for (let c = 0; c < 3; c++)
          if (restored[(y * W + x) * 3 + c] !== original[(y * W + x) * 3 + c]) protectedDiffs++;
      }
    }
    expect(protectedDiffs).toBe(0);
    const info = bridge.studio.listPhotos().find((p) => p.name === 'walk.jpg')!;
    const grids = info.restored!.decisions;
    const cell = (x: number, y: number) => grids.data[(0 * grids.height + (y >> 3)) * grids.width + (x >> 3)];
    for (let x = 216; x <= 320; x += 8) expect(cell(x, FORCE_Y)).toBe(255);
    for (let x = 64; x <= 176; x += 8) expect(cell(x, PROTECT_Y)).toBe(0);
    await page.screenshot({ path: join(SHOTS, '5-masked-result.png') });

    // Loupe: at 100 % the preview restores only what is in view (here the whole small photo fits).
    await page.getByRole('button', { name: 'Preview visible area' }).click();
    const loupe = page.getByRole('img', { name: 'Preview: walk.jpg' });
    await expect.poll(() => loupe.evaluate(loadedWidth), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.getByText(/^\d+×\d+ at \d+, \d+$/).isVisible()).toBe(true);

    // Export twice: JPEG with all metadata, then 16-bit PNG with the colour profile only.
    const jpegOut = join(folder, 'out', 'walk-export.jpg');
    const pngOut = join(folder, 'out', 'walk-export.png');
    await mkdir(join(folder, 'out'));
    bridge.saveAnswers.push(jpegOut, pngOut);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export restored photo' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Format').inputValue()).toBe('jpeg');
    await page.screenshot({ path: join(SHOTS, '6-export.png') });
    await dialog.getByRole('button', { name: 'Export…' }).click();
    await expect.poll(() => existsSync(jpegOut)).toBe(true);
    const jpegMeta = await sharp(jpegOut).metadata();
    expect([jpegMeta.format, jpegMeta.width, jpegMeta.height]).toEqual(['jpeg', W, H]);
    expect(exifReader(jpegMeta.exif!).Image?.Make).toBe('DeblurTestCam');

    await page.getByRole('button', { name: 'Export…' }).click();
    await dialog.getByLabel('Format').selectOption('png');
    expect(await dialog.getByLabel('Quality').isDisabled()).toBe(true);
    expect(await dialog.getByText('lossless').isVisible()).toBe(true);
    await dialog.getByLabel('16-bit').check();
    await dialog.getByLabel('Colour profile only').check();
    await dialog.getByRole('button', { name: 'Export…' }).click();
    await expect.poll(() => existsSync(pngOut)).toBe(true);
    const pngMeta = await sharp(pngOut).metadata();
    expect([pngMeta.format, pngMeta.depth, pngMeta.exif]).toEqual(['png', 'ushort', undefined]);
    expect(await dialog.isVisible()).toBe(false);

    const notice = page.getByRole('status').filter({ hasText: 'Exported' });
    await expect.poll(() => notice.textContent()).toContain(`Exported ${pngOut}`);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    expect(await notice.count()).toBe(0);

    await page.getByRole('button', { name: 'Batch', exact: true }).click();
    await page.screenshot({ path: join(SHOTS, '7-batch.png') });
  });
});
