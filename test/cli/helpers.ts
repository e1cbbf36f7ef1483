// Runs the `deblur` command as users do: node src-main/cli/deblur.js ...
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '..', '..', 'src-main', 'cli', 'deblur.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function deblur(...args: string[]): Promise<Run> {
  return deblurWithEnv({}, ...args);
}

/** The same, with extra environment variables (e.g. DEBLUR_MODELS_DIR). */
export function deblurWithEnv(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, FORCE_COLOR: '0', ...env } },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
