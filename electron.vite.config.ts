// electron-vite: main (with the inference and import workers as their own entries), the sandboxed preload (CommonJS), and the
// Svelte renderer, all built to out/. `npm run build` needs no Electron binary.
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: 'src-main/app/main.ts',
          'inference-worker': 'src-main/inference/worker.ts',
          'import-worker': 'src-main/models/import-worker.ts',
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: 'src-main/preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
    build: { outDir: 'out/renderer', rollupOptions: { input: 'src-renderer/index.html' } },
  },
});
