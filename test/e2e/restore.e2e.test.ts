// End to end: the built renderer in headless Chromium, backed by the real studio services (sharp, the inference
// worker, the fixture model) through the same ipc dispatch as Electron, over the test bridge.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from './bridge/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

const SHOTS = resolve(import.meta.dirname, 'screenshots');
const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');
let bridge: Bridge;
let browser: Browser;
let page: Page;
let folder: string;

/** A 320x224 photo: a sharp checkerboard with a horizontally smeared band (local motion blur). */
async function makeBlurredPhoto(path: string): Promise<void> {
  const [width, height] = [320, 224];
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const checker = ((x >> 4) + (y >> 4)) % 2 ? 200 : 40;
      let value = checker;
      if (y > 80 && y < 150) {
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
  await sharp(data, { raw: { width, height, channels: 3 } })
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
  const { build } = await import('electron-vite');
  await build({
    configFile: resolve(import.meta.dirname, '..', '..', 'electron.vite.config.ts'),
    logLevel: 'warn',
  });
  folder = await mkdtemp(join(tmpdir(), 'deblur-e2e-'));
  bridge = await startBridge({
    registry: { shipped: FIXTURES, user: join(folder, 'no-user-models') },
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
  it('opens a photo, restores it with the fixture model, and compares before and after', async () => {
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
    const changed = afterPixels.filter((value, i) => value !== beforePixels[i]).length;
    expect(beforePixels.length).toBe(320 * 224 * 3);
    expect(changed).toBeGreaterThan(1000);

    // Hold O: the original covers the whole view; 100 % by key.
    await page.keyboard.down('o');
    await expect.poll(() => page.getByText('Original', { exact: true }).isVisible()).toBe(true);
    await page.keyboard.up('o');
    await page.keyboard.press('z');
    await expect.poll(() => page.getByText('100 %', { exact: true }).count()).toBeGreaterThan(0);
  });
});
