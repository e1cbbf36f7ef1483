// End to end: the Models tab in headless Chromium against the real model registry, restore and importer (the
// same ipc dispatch as Electron, over the test bridge), with a temporary user models folder.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFixture } from '../inference/helpers';
import { startBridge, type Bridge } from './bridge/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

const MODELS = resolve(import.meta.dirname, '..', '..', 'models');
const SHIPPED = 'lmdvit-e8';
let shippedName: string;
let bridge: Bridge;
let browser: Browser;
let page: Page;
let folder: string;
/** The user models folder the studio is given. */
let user: string;
/** $DEBLUR_MODELS_DIR while the test runs: whatever ignores the studio's folder would write here. */
let stray: string;
const savedEnv = process.env.DEBLUR_MODELS_DIR;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'deblur-e2e-models-'));
  user = join(folder, 'user-models');
  stray = join(folder, 'env-models');
  process.env.DEBLUR_MODELS_DIR = stray;
  shippedName = JSON.parse(await readFile(join(MODELS, SHIPPED, 'manifest.json'), 'utf8')).name;
  bridge = await startBridge({
    registry: { shipped: MODELS, user },
    cacheDir: join(folder, 'cache'),
    threads: 1,
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  page.on('pageerror', (error) => console.error('page error:', error));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  if (savedEnv === undefined) delete process.env.DEBLUR_MODELS_DIR;
  else process.env.DEBLUR_MODELS_DIR = savedEnv;
  if (folder) await rm(folder, { recursive: true, force: true });
});

const panel = (name: string) => page.getByRole('complementary', { name });
/** Opens a tab; the Models tab reads the registry each time it opens. */
const tab = (name: string) => page.getByRole('button', { name, exact: true }).click();
/** The list as a user reads it: name, source, then the default badge or the buttons each row offers. */
const rows = async () =>
  (await page.getByRole('list', { name: 'Installed models' }).locator(':scope > li').allInnerTexts()).map(
    (text) => text.replace(/\s+/g, ' ').trim(),
  );
const row = (name: string) => page.getByRole('listitem').filter({ hasText: name });
/** main's listing: each id with its source, the default starred. */
const mainList = () => bridge.studio.listModels().map((m) => `${m.default ? '*' : ''}${m.id} ${m.source}`);
const sha = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
const files = async (dir: string) => (existsSync(dir) ? (await readdir(dir)).sort() : []);

describe('Models tab end to end', () => {
  let photoId: string;

  it('lists the shipped model, adds a model folder, makes it the default for restores, removes it', async () => {
    await page.goto(bridge.url);
    await tab('Models');
    await expect.poll(rows).toEqual([`${shippedName} shipped default`]);

    // A model folder put in the user models folder (an export, here the test fixture) is listed when the tab opens.
    const dir = await installFixture(user, 'e2e-fixture', { name: 'E2E fixture' });
    await tab('Restore');
    await tab('Models');
    await expect
      .poll(rows)
      .toEqual([`${shippedName} shipped default`, 'E2E fixture imported Make default Remove']);

    await row('E2E fixture').getByRole('button', { name: 'Make default' }).click();
    await expect
      .poll(rows)
      .toEqual([`${shippedName} shipped Make default`, 'E2E fixture imported default Remove']);
    expect(mainList()).toEqual([`${SHIPPED} shipped`, '*e2e-fixture imported']);
    expect(JSON.parse(await readFile(join(user, 'default.json'), 'utf8'))).toEqual({ id: 'e2e-fixture' });

    // The next restore with "Default" runs it: the fixture's own threshold (0.5; the shipped model's is 0.41)
    // and tiles (256 px, so two across 384 px; the shipped model's 512 px would be one of 384).
    const photo = join(folder, 'noise.png');
    const noise = { type: 'gaussian', mean: 128, sigma: 40 } as const;
    await sharp({ create: { width: 384, height: 192, channels: 3, background: '#000', noise } })
      .png()
      .toFile(photo);
    bridge.openAnswers.push([photo]);
    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByRole('button', { name: 'noise.png' }).waitFor();
    await tab('Restore');
    const picker = page.getByRole('combobox', { name: 'Model' });
    expect(await picker.locator('option:checked').textContent()).toBe('Default (E2E fixture)');
    await page.getByRole('button', { name: 'Run' }).click();
    const threshold = page.locator('dl[aria-label="Last restore"] dt:text-is("Threshold") + dd');
    await expect.poll(() => threshold.textContent(), { timeout: 60_000 }).toBe('0.50');
    const restored = bridge.studio.listPhotos().find((p) => p.name === 'noise.png')!;
    photoId = restored.id;
    const { threshold: used, tiles } = restored.restored!;
    expect([used, tiles.size, tiles.total]).toEqual([0.5, 256, 2]);

    // Remove asks first; Keep keeps it.
    await tab('Models');
    const confirm = page.getByRole('group', { name: 'Confirm removal' });
    await row('E2E fixture').getByRole('button', { name: 'Remove' }).click();
    expect(await confirm.textContent()).toContain('Remove E2E fixture? Its folder is deleted');
    await confirm.getByRole('button', { name: 'Keep' }).click();
    expect(await confirm.count()).toBe(0);
    expect(existsSync(join(dir, 'model.onnx'))).toBe(true);

    await row('E2E fixture').getByRole('button', { name: 'Remove' }).click();
    await confirm.getByRole('button', { name: 'Yes, remove' }).click();
    await expect.poll(rows).toEqual([`${shippedName} shipped default`]);
    expect(await panel('Models').getByRole('status').textContent()).toBe('Removed E2E fixture');
    // Its folder and the default choice that named it are gone; the shipped model is the default again.
    expect(existsSync(dir)).toBe(false);
    expect(await files(user)).toEqual([]);
    expect(mainList()).toEqual([`*${SHIPPED} shipped`]);
    await tab('Restore');
    expect(await picker.locator('option:checked').textContent()).toBe(`Default (${shippedName})`);
  });

  it('refuses a tampered model folder and a non-checkpoint "Add model…" with a clear error, changing nothing', async () => {
    const dir = await installFixture(user, 'e2e-tampered', { name: 'E2E tampered' });
    const onnx = join(dir, 'model.onnx');
    const bytes = await readFile(onnx);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(onnx, bytes);
    const before = {
      files: await files(user),
      model: await sha(onnx),
      result: bridge.studio.getPhoto(photoId),
    };

    // Listing reads manifests only (checksums are checked when a model loads): it is offered.
    await tab('Models');
    await expect
      .poll(rows)
      .toEqual([`${shippedName} shipped default`, 'E2E tampered imported Make default Remove']);

    await tab('Restore');
    await page.getByRole('combobox', { name: 'Model' }).selectOption('e2e-tampered');
    await page.getByRole('button', { name: 'Run' }).click();
    const alert = panel('Restore').getByRole('alert');
    await expect
      .poll(() => alert.textContent(), { timeout: 60_000 })
      .toMatch(/model\.onnx: checksum mismatch/);
    expect(await alert.textContent()).toContain(
      'the model file is damaged or was replaced: reinstall the model',
    );
    // The photo keeps its earlier result, nothing in the folder changed, the default is the shipped one.
    expect(bridge.studio.getPhoto(photoId)).toEqual(before.result);
    expect([await files(user), await sha(onnx)]).toEqual([before.files, before.model]);
    expect(mainList()).toEqual([`*${SHIPPED} shipped`, 'e2e-tampered imported']);

    // "Add model…" given the folder's model.onnx: not a checkpoint, refused, nothing written.
    await tab('Models');
    bridge.modelAnswers.push(onnx);
    await page.getByRole('button', { name: 'Add model…' }).click();
    await expect
      .poll(() => panel('Models').getByRole('alert').textContent())
      .toBe(`${onnx}: not a PyTorch zip checkpoint, or the file is truncated (no zip directory at its end)`);
    expect(await page.getByRole('button', { name: 'Add model…' }).isEnabled()).toBe(true);
    expect(await rows()).toEqual([
      `${shippedName} shipped default`,
      'E2E tampered imported Make default Remove',
    ]);
    expect([await files(user), await sha(onnx)]).toEqual([before.files, before.model]);
    expect(mainList()).toEqual([`*${SHIPPED} shipped`, 'e2e-tampered imported']);
    // Nothing went to $DEBLUR_MODELS_DIR: the studio used only the folder it was given.
    expect(existsSync(stray)).toBe(false);
  });
});
