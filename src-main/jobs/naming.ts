// Output names: a template for the file name (`{name}`, `{ext}`) and the output's extension from its format.
import { basename, extname } from 'node:path';
import { FORMAT_FACTS, formatFromPath, type PhotoFormat } from '../imaging';
import { BatchUsageError, DEFAULT_NAME_TEMPLATE } from './types';

/** Throws a usage error for a template that cannot name files safely. */
export function checkTemplate(template: string): void {
  if (!template.includes('{name}')) {
    throw new BatchUsageError(
      `--name "${template}" must contain {name} (else every photo gets the same name)`,
    );
  }
  if (/[\\/]/.test(template) || template.includes('\0')) {
    throw new BatchUsageError(`--name "${template}" may not contain a path separator`);
  }
  const unknown = template.replace(/\{name\}|\{ext\}/g, '').match(/\{[^}]*\}/);
  if (unknown) {
    throw new BatchUsageError(`--name: unknown placeholder ${unknown[0]} (use {name} and {ext})`);
  }
}

/**
 * The output file name for `input`: the template with `{name}` (the input's name without extension) and `{ext}`
 * (its extension without the dot), then the extension of `format` (the input's own when it already matches).
 */
export function outputName(input: string, format: PhotoFormat, template = DEFAULT_NAME_TEMPLATE): string {
  const inputExt = extname(input);
  const name = basename(input, inputExt);
  const stem = template.replaceAll('{name}', name).replaceAll('{ext}', inputExt.slice(1));
  const ext = formatFromPath(input) === format ? inputExt : FORMAT_FACTS[format].extensions[0]!;
  return `${stem}${ext}`;
}

/** `photo-deblurred.jpg` -> `photo-deblurred-2.jpg`. */
export function numbered(path: string, n: number): string {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}-${n}${ext}`;
}
