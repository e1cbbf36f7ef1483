// The one place that decides where things live, in development and when packaged:
//   shipped models   dev: <repo>/models               packaged: <resources>/models
//   templates        dev: <repo>/assets/templates     packaged: <resources>/assets/templates
//   user models      $DEBLUR_MODELS_DIR, else the per-user data folder (Linux ~/.local/share/deblur-studio/models)
//   settings         Electron's userData (app/ passes it in), else ~/.config/deblur-studio and the platform peers
//   logs             <settings>/logs
//   graph cache      next to model.onnx in the model's folder (ORT's optimised graph refers to its data files);
//                    so only for writable (user) model folders, never for the packaged, read-only resources.
// Plain Node, no electron import: the engine, the CLI and the worker threads use it too. When packaged, the
// bundle runs from inside <resources>/app.asar, which is how the resources folder is found even in a worker;
// app/ may also call configurePaths() at start-up with process.resourcesPath (inherited by workers via env).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

export interface PathsConfig {
  /** process.resourcesPath when packaged. */
  resourcesPath?: string;
  isPackaged?: boolean;
  /** Electron's app.getPath('userData'). */
  userData?: string;
}

const RESOURCES_ENV = 'DEBLUR_RESOURCES_DIR';
const SETTINGS_ENV = 'DEBLUR_SETTINGS_DIR';

/** Called once by app/ at start-up; the values travel to worker threads in the environment. */
export function configurePaths(config: PathsConfig): void {
  if (config.isPackaged && config.resourcesPath) process.env[RESOURCES_ENV] = config.resourcesPath;
  if (config.userData) process.env[SETTINGS_ENV] ??= config.userData;
}

/** `<resources>` when running from a packaged app (this file inside app.asar), else undefined. */
export function packagedResources(
  from = import.meta.dirname,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (env[RESOURCES_ENV]) return resolve(env[RESOURCES_ENV]);
  const marker = `${sep}app.asar${sep}`;
  const at = `${from}${sep}`.indexOf(marker);
  return at >= 0 ? from.slice(0, at) : undefined;
}

/** The repository root in development: the nearest folder above `from` that holds package.json and models/. */
export function repoRoot(from = import.meta.dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(import.meta.dirname, '..', '..');
    dir = up;
  }
}

/** The folder holding models/ and assets/templates: `<resources>` when packaged, the repository otherwise. */
export function resourcesRoot(): string {
  return packagedResources() ?? repoRoot();
}

/** The shipped models (read-only when installed). */
export function shippedModelsDir(): string {
  return join(resourcesRoot(), 'models');
}

/** The weightless ONNX templates that `npm run export:template` writes and the app ships. */
export function templatesDir(): string {
  return join(resourcesRoot(), 'assets', 'templates');
}

/**
 * The user's models folder: `$DEBLUR_MODELS_DIR` when set, else the platform's per-user data folder:
 * Linux `$XDG_DATA_HOME/deblur-studio/models` (default `~/.local/share/...`), macOS
 * `~/Library/Application Support/Deblur Studio/models`, Windows `%APPDATA%\Deblur Studio\models`.
 */
export function userModelsDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.DEBLUR_MODELS_DIR) return resolve(env.DEBLUR_MODELS_DIR);
  if (platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'Deblur Studio', 'models');
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Deblur Studio', 'models');
  }
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'deblur-studio', 'models');
}

/** Settings (window state, recent files): Electron's userData when app/ configured it, else the platform's. */
export function settingsDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env[SETTINGS_ENV]) return resolve(env[SETTINGS_ENV]);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'deblur-studio');
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'deblur-studio');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'deblur-studio');
}

/** Log files. */
export function logsDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  return join(settingsDir(env, platform), 'logs');
}

/** Where a model's optimised-graph cache goes: its own folder (see inference/graph-cache.ts). */
export function graphCacheDir(modelDir: string): string {
  return modelDir;
}
