// Which model folder to use: `--model` as a folder or as an id under models/ or the user's models folder
// (imported models, src-main/models/), else the user's chosen default, else the shipped default.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userModelsDir } from '../models/paths';
import { shippedModelsDir } from '../paths';
import { chosenDefault } from '../models/registry';

/** The repository's (or the installed app's) models/ folder (src-main/paths decides). */
export const MODELS_ROOT = shippedModelsDir();

export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
}

/**
 * Resolves `spec` (a folder with manifest.json, or a model id in `root` or `userRoot`) or finds the default
 * model. `userRoot` (imported models) defaults to the user's models folder only with the default `root`.
 */
export function resolveModelDir(
  spec: string | undefined,
  root = MODELS_ROOT,
  userRoot: string | undefined = root === MODELS_ROOT ? userModelsDir() : undefined,
): string {
  const roots = userRoot ? [root, userRoot] : [root];
  if (spec) {
    if (isModelDir(spec)) return resolve(spec);
    for (const r of roots) if (/^[\w.-]+$/.test(spec) && isModelDir(join(r, spec))) return join(r, spec);
    throw new ModelNotFoundError(
      `model "${spec}" not found: pass a folder holding manifest.json and model.onnx, or an id from ` +
        roots.join(' or ') +
        roots.map(listInstalled).join(''),
    );
  }
  const chosen = userRoot ? chosenDefault(userRoot) : undefined;
  if (chosen) {
    const dir = roots.map((r) => join(r, chosen)).find(isModelDir);
    if (dir) return dir;
  }
  const found = defaultModelDir(root) ?? (userRoot ? defaultModelDir(userRoot) : undefined);
  if (found) return found;
  throw new ModelNotFoundError(
    `no model is installed in ${root} yet: pass --model <folder or id> ` +
      '(for a test run: --model test/fixtures/lmdvit-fixture)',
  );
}

/**
 * The default model: among the pruned models in `root`, the one whose manifest says `"default": true`,
 * else the first by id. Dense (benchmark) variants are never picked.
 */
export function defaultModelDir(root = MODELS_ROOT): string | undefined {
  const candidates = installed(root).filter((entry) => entry.manifest.variant !== 'dense');
  const chosen = candidates.find((entry) => entry.manifest.default === true) ?? candidates[0];
  return chosen?.dir;
}

interface Installed {
  dir: string;
  manifest: { variant?: string; default?: boolean };
}

function installed(root: string): Installed[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .map((name) => join(root, name))
    .filter(isModelDir)
    .flatMap((dir) => {
      try {
        return [
          {
            dir,
            manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Installed['manifest'],
          },
        ];
      } catch {
        return [];
      }
    });
}

function isModelDir(dir: string): boolean {
  try {
    return (
      statSync(dir).isDirectory() &&
      existsSync(join(dir, 'manifest.json')) &&
      existsSync(join(dir, 'model.onnx'))
    );
  } catch {
    return false;
  }
}

function listInstalled(root: string): string {
  const ids = installed(root).map((entry) => entry.dir.slice(root.length + 1));
  return ids.length ? ` (installed: ${ids.join(', ')})` : ' (none installed)';
}
