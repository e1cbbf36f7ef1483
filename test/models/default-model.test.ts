// One rule decides the default model everywhere: `deblur models list` (and the app's Models tab, model picker,
// restore and batch, which read the same list) and `deblur <photo>`, `deblur batch`, `deblur scan` without
// --model. Real model folders on disk, copied from the fixture model.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { defaultModel, listModels, setDefault, type RegistryRoots } from '../../src-main/models/registry';
import { resolveModelDir } from '../../src-main/restore';
import { deblurWithEnv } from '../cli/helpers';
import { installFixture as install, tempFolder } from '../inference/helpers';

const IMPORTED = { source: 'imported' };
const DENSE = { variant: 'dense', inputs: ['image'], outputs: ['restored'] };

async function roots(): Promise<Required<RegistryRoots>> {
  const base = await tempFolder();
  const r = { shipped: join(base, 'shipped'), user: join(base, 'user') };
  await mkdir(r.shipped);
  await mkdir(r.user);
  return r;
}

/** The default as the list marks it, as the registry returns it, and as the commands resolve it: all one dir. */
function defaults(r: Required<RegistryRoots>): string | undefined {
  const listed = listModels(r).filter((e) => e.default);
  expect(listed.length).toBeLessThanOrEqual(1);
  const dir = defaultModel(r)?.dir;
  expect(listed[0]?.dir).toBe(dir);
  if (dir) expect(resolveModelDir(undefined, r)).toBe(dir);
  else expect(() => resolveModelDir(undefined, r)).toThrow(/no model is installed/);
  return dir;
}

describe('the default model', () => {
  it('an imported model whose manifest says "default": true beats the first shipped model', async () => {
    const r = await roots();
    await install(r.shipped, 'a-shipped');
    await install(r.shipped, 'b-shipped');
    const mine = await install(r.user, 'mine', { ...IMPORTED, default: true });
    expect(defaults(r)).toBe(mine);
  });

  it('a shipped "default": true beats an imported one; the user\'s choice beats both', async () => {
    const r = await roots();
    await install(r.shipped, 'a-shipped');
    const shippedDefault = await install(r.shipped, 'b-shipped', { default: true });
    await install(r.user, 'mine', { ...IMPORTED, default: true });
    const chosen = await install(r.user, 'z-chosen', IMPORTED);
    expect(defaults(r)).toBe(shippedDefault);
    await writeFile(join(r.user, 'default.json'), JSON.stringify({ id: 'z-chosen' }));
    expect(defaults(r)).toBe(chosen);
    await writeFile(join(r.user, 'default.json'), JSON.stringify({ id: 'a-shipped' }));
    expect(defaults(r)).toBe(join(r.shipped, 'a-shipped'));
  });

  it('never a dense variant (not even when chosen), a stale import folder, or a removed choice', async () => {
    const r = await roots();
    await install(r.shipped, 'a-dense', { ...DENSE, default: true });
    const first = await install(r.shipped, 'b-pruned');
    await install(r.user, 'dense-mine', { ...DENSE, ...IMPORTED });
    await install(r.user, '.import-x-123', { ...IMPORTED, default: true }); // an import cut off before its rename
    await writeFile(join(r.user, 'default.json'), JSON.stringify({ id: 'dense-mine' }));
    expect(defaults(r)).toBe(first);
    await writeFile(join(r.user, 'default.json'), JSON.stringify({ id: 'gone' }));
    expect(defaults(r)).toBe(first);
  });

  it('falls back to the first pruned model, shipped before imported, and to none', async () => {
    const r = await roots();
    expect(defaults(r)).toBeUndefined();
    const imported = await install(r.user, 'a-imported', IMPORTED);
    expect(defaults(r)).toBe(imported);
    const shipped = await install(r.shipped, 'z-shipped');
    expect(defaults(r)).toBe(shipped);
  });
});

describe('the commands agree on it', () => {
  it('deblur models list, deblur <photo>, deblur batch and deblur scan take the same model', async () => {
    const base = await tempFolder();
    const resources = join(base, 'resources');
    const user = join(base, 'user');
    const env = { DEBLUR_RESOURCES_DIR: resources, DEBLUR_MODELS_DIR: user };
    // No shipped manifest says "default": true; the imported one does. The first shipped model cannot run, so a
    // command that took it fails.
    const broken = await install(join(resources, 'models'), 'a-shipped');
    await writeFile(join(broken, 'model.onnx'), 'not an onnx graph');
    await install(join(resources, 'models'), 'b-shipped');
    const mine = await install(user, 'mine', { ...IMPORTED, default: true });

    const list = await deblurWithEnv(env, 'models', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as { id: string; default: boolean }[];
    expect(listed.filter((e) => e.default).map((e) => e.id)).toEqual(['mine']);

    const photos = join(base, 'photos');
    await mkdir(photos);
    const photo = join(photos, 'p.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .png()
      .toFile(photo);
    const one = await deblurWithEnv(env, photo, '-o', join(base, 'one.png'), '--json');
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout.trim().split('\n')[0]!)).toMatchObject({ model: mine });

    const batch = await deblurWithEnv(env, 'batch', photos, '-o', join(base, 'out'), '--json');
    expect(batch.code, batch.stderr).toBe(0);
    const scan = await deblurWithEnv(env, 'scan', photos, '--size', '64', '--json');
    expect(scan.code, scan.stderr).toBe(0);
  }, 120_000);
});

describe('making a model the default', () => {
  it('refuses a damaged or replaced model, and the default stays', async () => {
    const base = await tempFolder();
    const r = { shipped: join(base, 'models'), user: join(base, 'user') };
    const shipped = await install(r.shipped, 'a-shipped', { default: true });
    const mine = await install(r.user, 'mine', IMPORTED);
    const onnx = await readFile(join(mine, 'model.onnx'));
    onnx[onnx.length - 1] = onnx[onnx.length - 1]! ^ 1;
    await writeFile(join(mine, 'model.onnx'), onnx);
    await expect(setDefault('mine', r)).rejects.toThrow(/model\.onnx: checksum mismatch .* damaged or was replaced/);
    expect(defaults(r)).toBe(shipped);

    const env = { DEBLUR_RESOURCES_DIR: base, DEBLUR_MODELS_DIR: r.user };
    const cli = await deblurWithEnv(env, 'models', 'default', 'mine');
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/checksum mismatch/);
    expect(defaults(r)).toBe(shipped);
  }, 60_000);
});
