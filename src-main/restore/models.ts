// Which model folder to use: `--model` as a folder or as an id under models/ or the user's models folder
// (imported models, src-main/models/), else the default model, which the registry's pickDefault decides (the same
// one `deblur models list` marks and the app runs).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userModelsDir } from '../models/paths';
import { shippedModelsDir } from '../paths';
import { defaultModel, modelsIn, pickDefault, type RegistryRoots } from '../models/registry';

/** The repository's (or the installed app's) models/ folder (src-main/paths decides). */
export const MODELS_ROOT = shippedModelsDir();

export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
}

/**
 * Resolves `spec` (a folder with manifest.json, or a model id among the shipped models, then the imported ones)
 * or, without one, returns the registry's default model. `roots` default to the app's: models/ and the user's
 * models folder.
 */
export function resolveModelDir(spec: string | undefined, roots: RegistryRoots = {}): string {
  const shipped = roots.shipped ?? MODELS_ROOT;
  const user = roots.user ?? userModelsDir();
  const folders = [shipped, user];
  if (spec) {
    if (isModelDir(spec)) return resolve(spec);
    for (const r of folders) if (/^[\w.-]+$/.test(spec) && isModelDir(join(r, spec))) return join(r, spec);
    throw new ModelNotFoundError(
      `model "${spec}" not found: pass a folder holding manifest.json and model.onnx, or an id from ` +
        folders.join(' or ') +
        folders.map(listInstalled).join(''),
    );
  }
  const found = defaultModel({ shipped, user });
  if (found) return found.dir;
  throw new ModelNotFoundError(
    `no model is installed in ${shipped} or ${user} yet: pass --model <folder or id> ` +
      '(for a test run: --model test/fixtures/lmdvit-fixture)',
  );
}

/**
 * The default among the models in one folder alone (no imported models, no user choice; the benchmarks' shipped
 * default), by the same rule (pickDefault): the pruned model whose manifest says `"default": true`, else the first
 * by id. Dense (benchmark) variants are never picked.
 */
export function defaultModelDir(root = MODELS_ROOT): string | undefined {
  return pickDefault(modelsIn(root, 'shipped'))?.dir;
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
  const ids = modelsIn(root, 'shipped').map((entry) => entry.id);
  return ids.length ? ` (installed: ${ids.join(', ')})` : ' (none installed)';
}
