// Where a restored photo goes: `<name>-deblurred.<ext>` next to the input, in a folder, or a named file.
import { statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { FORMAT_FACTS, formatFromPath, type PhotoFormat } from '../imaging';

export interface OutputTarget {
  path: string;
  format: PhotoFormat;
}

/**
 * `output`: undefined (next to the input), an existing folder or one ending in a path separator (inside it),
 * or a file name (only for a single input). The format is `format`, else the output file's extension, else
 * the input's format.
 */
export function outputTarget(
  input: string,
  inputFormat: PhotoFormat,
  options: { output?: string | undefined; format?: PhotoFormat | undefined; manyInputs?: boolean },
): OutputTarget {
  const { output } = options;
  const intoFolder =
    output !== undefined && (isFolder(output) || /[\\/]$/.test(output) || options.manyInputs);
  if (output !== undefined && !intoFolder) {
    const format = options.format ?? formatFromPath(output) ?? inputFormat;
    return { path: resolve(output), format };
  }
  const format = options.format ?? inputFormat;
  const inputExt = extname(input);
  const ext = formatFromPath(input) === format ? inputExt : FORMAT_FACTS[format].extensions[0]!;
  const name = `${basename(input, inputExt)}-deblurred${ext}`;
  return { path: resolve(join(intoFolder ? output! : dirname(input), name)), format };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
