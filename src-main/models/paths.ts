// Where imported models and the registry's settings live, and where the shipped templates are.
// (Issue 8 brings the app-wide paths module deciding dev vs packaged locations; until then this decides.)
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The weightless ONNX templates that `npm run export:template` writes and the app ships. */
export const TEMPLATES_ROOT = resolve(import.meta.dirname, '..', '..', 'assets', 'templates');

/**
 * The user's models folder: `$DEBLUR_MODELS_DIR` when set, else the platform's per-user data folder:
 * Linux `$XDG_DATA_HOME/deblur-studio/models` (default `~/.local/share/...`), macOS
 * `~/Library/Application Support/Deblur Studio/models`, Windows `%APPDATA%\Deblur Studio\models`.
 */
export function userModelsDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.DEBLUR_MODELS_DIR) return resolve(env.DEBLUR_MODELS_DIR);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Deblur Studio', 'models');
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Deblur Studio', 'models');
  }
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'deblur-studio', 'models');
}
