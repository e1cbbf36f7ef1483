// The packed app's layout (`npm run pack:ci`: electron-builder --dir against a local Electron stub, offline).
// Runs when dist/linux-unpacked exists (CI packs it first), or packs it itself with DEBLUR_PACK=1. Linux x64 only.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { beforeAll, describe, expect, it } from 'vitest';

const APP = join(import.meta.dirname, '..', '..', 'dist', 'linux-unpacked');
const RES = join(APP, 'resources');
/** Budget for resources/ (app.asar, unpacked native modules, models, templates); Electron itself is not counted. */
const BUDGET_MB = 160;

const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
const wanted = linuxX64 && (process.env.DEBLUR_PACK === '1' || existsSync(join(RES, 'app.asar')));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));
}

function sizeOf(dir: string): number {
  return files(dir).reduce((sum, f) => sum + (statSync(f).isFile() ? statSync(f).size : 0), 0);
}

describe.runIf(wanted)('packed app layout (linux x64)', () => {
  beforeAll(() => {
    if (process.env.DEBLUR_PACK === '1') execSync('npm run pack:ci', { stdio: 'inherit' });
  }, 300_000);

  it('app.asar holds the built main, preload and renderer', () => {
    const entries = listPackage(join(RES, 'app.asar'), { isPack: false }).map((e) => e.replaceAll('\\', '/'));
    for (const f of ['/out/main/index.js', '/out/main/inference-worker.js', '/out/main/import-worker.js']) {
      expect(entries).toContain(f);
    }
    expect(entries).toContain('/out/preload/index.cjs');
    expect(entries).toContain('/out/renderer/index.html');
    expect(entries).toContain('/package.json');
    // No sources, tests, training data or docs.
    for (const prefix of ['/src-main', '/src-renderer', '/test', '/training', '/docs']) {
      expect(entries.filter((e) => e.startsWith(`${prefix}/`))).toEqual([]);
    }
  });

  it('unpacks the native modules', () => {
    const ort = join(
      RES,
      'app.asar.unpacked',
      'node_modules',
      'onnxruntime-node',
      'bin',
      'napi-v6',
      'linux',
      'x64',
    );
    expect(existsSync(join(ort, 'onnxruntime_binding.node'))).toBe(true);
    expect(existsSync(join(ort, 'libonnxruntime.so.1'))).toBe(true);
    const img = join(RES, 'app.asar.unpacked', 'node_modules', '@img');
    expect(
      readdirSync(join(img, 'sharp-linux-x64', 'lib')).some((f) => /^sharp-linux-x64.*\.node$/.test(f)),
    ).toBe(true);
    expect(readdirSync(img)).toContain('sharp-libvips-linux-x64');
    expect(existsSync(join(RES, 'app.asar.unpacked', 'node_modules', 'sharp', 'package.json'))).toBe(true);
  });

  it('ships the default model and the templates in resources', () => {
    expect(statSync(join(RES, 'models', 'lmdvit-e8', 'model.onnx')).size).toBeGreaterThan(1_000_000);
    expect(existsSync(join(RES, 'models', 'lmdvit-e8', 'manifest.json'))).toBe(true);
    expect(existsSync(join(RES, 'assets', 'templates'))).toBe(true);
  });

  it("packs no other platform's onnxruntime binaries", () => {
    const others = files(join(RES, 'app.asar.unpacked')).filter((f) => /[\\/](win32|darwin)[\\/]/.test(f));
    expect(others).toEqual([]);
    // The asar header lists unpacked files too: none may be another platform's.
    const asar = listPackage(join(RES, 'app.asar'), { isPack: false });
    expect(asar.filter((e) => /[\\/](win32|darwin)[\\/]|\.(dll|dylib)$/.test(e))).toEqual([]);
  });

  it(`stays within the size budget (${BUDGET_MB} MB of resources)`, () => {
    const mb = sizeOf(RES) / 2 ** 20;
    console.log(`packed resources: ${mb.toFixed(1)} MB (budget ${BUDGET_MB} MB)`);
    expect(mb).toBeLessThan(BUDGET_MB);
  });
});
