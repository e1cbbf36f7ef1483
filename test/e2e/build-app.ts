// Global setup of the e2e run: builds the app once for every e2e file (each used to build it again).
import { resolve } from 'node:path';

export default async function buildApp(): Promise<void> {
  const { build } = await import('electron-vite');
  await build({
    configFile: resolve(import.meta.dirname, '..', '..', 'electron.vite.config.ts'),
    logLevel: 'warn',
  });
}
