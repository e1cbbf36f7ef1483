import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  graphCacheDir,
  logsDir,
  packagedResources,
  repoRoot,
  settingsDir,
  shippedModelsDir,
} from '../../src-main/paths';

describe('paths', () => {
  it('finds the repository in development', () => {
    expect(existsSync(join(shippedModelsDir(), 'lmdvit-e8', 'model.onnx'))).toBe(true);
    expect(repoRoot(join(repoRoot(), 'out', 'main', 'chunks'))).toBe(repoRoot());
  });

  it('finds <resources> when running from inside app.asar', () => {
    const res = join(sep, 'opt', 'Deblur Studio', 'resources');
    expect(packagedResources(join(res, 'app.asar', 'out', 'main', 'chunks'), {})).toBe(res);
    expect(packagedResources(join(sep, 'src', 'app'), {})).toBeUndefined();
    expect(packagedResources('/x', { DEBLUR_RESOURCES_DIR: res })).toBe(res);
  });

  it('puts settings and logs in the per-user folder', () => {
    expect(settingsDir({ XDG_CONFIG_HOME: '/c' }, 'linux')).toBe(join('/c', 'deblur-studio'));
    expect(settingsDir({ DEBLUR_SETTINGS_DIR: '/s' }, 'linux')).toBe(join(sep, 's'));
    expect(logsDir({ XDG_CONFIG_HOME: '/c' }, 'linux')).toBe(join('/c', 'deblur-studio', 'logs'));
    expect(graphCacheDir('/m/a')).toBe('/m/a');
  });
});
