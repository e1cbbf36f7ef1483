// ESLint flat config. Besides the usual rules it enforces the import layers of ../shared/docs/design.md:
// each folder names its runtime, and `no-restricted-imports` keeps other runtimes out of it.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** One restriction: the package itself and any of its sub-paths (`electron`, `electron/main`, ...). */
function forbid(packages, message) {
  const names = packages.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  return { regex: `^(${names})(/.*)?$`, message };
}

const electron = forbid(
  ['electron'],
  'Only src-main/app, src-main/preload and src-main/ipc may import electron.',
);
const sharp = forbid(['sharp'], 'src-main/inference never imports sharp: pixels arrive as typed arrays.');
const inferenceUpward = {
  group: ['**/imaging', '**/imaging/**', '**/restore', '**/restore/**', '**/cli', '**/cli/**'],
  message: 'src-main/inference stays below imaging, restore and cli (it would pull sharp in through them).',
};
const onnx = forbid(['onnxruntime-node'], 'src-main/imaging never imports onnxruntime-node.');
const rendererNative = forbid(
  ['electron', 'sharp', 'onnxruntime-node'],
  'The renderer is DOM only: it reaches main through the contract (window API), never native modules.',
);
const nodeBuiltins = [
  { regex: '^node:', message: 'The renderer is DOM only: no Node built-ins.' },
  forbid(builtinModules, 'The renderer is DOM only: no Node built-ins.'),
];
const mainInternals = {
  group: ['**/src-main/**', '!**/src-main/contract', '!**/src-main/contract/**'],
  message: 'The renderer imports from src-main/contract only.',
};

/** A `no-restricted-imports` rule for a folder (flat config: a later match replaces an earlier one). */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'coverage/',
      'training/',
      'models/',
      'test/fixtures/',
      'docs/',
      '.ci/vitest-report.json',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // Import layers (../shared/docs/design.md, principle 3).
  { files: ['src-main/**'], rules: restrict(electron) },
  { files: ['src-main/app/**', 'src-main/preload/**', 'src-main/ipc/**'], rules: restrict() },
  { files: ['src-main/inference/**'], rules: restrict(electron, sharp, inferenceUpward) },
  { files: ['src-main/imaging/**'], rules: restrict(electron, onnx) },
  { files: ['src-renderer/**'], rules: restrict(rendererNative, ...nodeBuiltins, mainInternals) },
);
