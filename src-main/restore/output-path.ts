// Where a restored photo goes: `<name>-deblurred.<ext>` next to the input, in a folder, or a named file.
import { statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { FORMAT_FACTS, formatFromPath, type PhotoFormat } from '../imaging';

export interface OutputTarget {
  path: string;
  format: PhotoFormat;
}

/** An output name whose extension says another format than the one asked for. */
export class OutputNameError extends Error {
  override readonly name = 'OutputNameError';
}

/**
 * `output`: undefined (next to the input), an existing folder or one ending in a path separator (inside it),
 * or a file name (only for a single input). The format is `format`, else the output file's extension, else
 * the input's format; a named file gets the format's extension when it has none of ours.
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
    return { path: withFormatExtension(resolve(output), format), format };
  }
  const format = options.format ?? inputFormat;
  const inputExt = extname(input);
  const ext = formatFromPath(input) === format ? inputExt : FORMAT_FACTS[format].extensions[0]!;
  const name = `${basename(input, inputExt)}-deblurred${ext}`;
  return { path: resolve(join(intoFolder ? output! : dirname(input), name)), format };
}

/** `path` with the format's extension added unless it has it; another format's extension is refused. */
export function withFormatExtension(path: string, format: PhotoFormat): string {
  const named = formatFromPath(path);
  if (named === format) return path;
  if (named) {
    throw new OutputNameError(
      `${basename(path)} ends in ${extname(path)}, which is not ${format.toUpperCase()}: change the name or the format`,
    );
  }
  return path + FORMAT_FACTS[format].extensions[0]!;
}

/** An existing folder. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
