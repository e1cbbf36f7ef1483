// Input expansion: folders (optionally recursive), several folders, photos. Files are sorted so a plan is the
// same on every run (resume depends on it). Nothing here reads pixels: photos are told by their extension.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { formatFromPath, notPhotoReason } from '../imaging';
import { BatchUsageError } from './types';

/** A file found under an input: `rel` is its path below the folder it mirrors into. */
export interface FoundFile {
  path: string;
  rel: string;
  /** Came from walking a folder (false: named on the command line). */
  walked: boolean;
}

export interface Expansion {
  /** Candidate photos (by extension), sidecar masks excluded. */
  photos: FoundFile[];
  /** Every other file seen: not photos (reported as skipped unless they are ours or masks). */
  others: FoundFile[];
  /** Every file seen, resolved: the originals no output may replace. */
  originals: Set<string>;
  /** Their identities (fileId), so another spelling of one (case-insensitive disks, links) is known too. */
  originalIds: Map<string, string>;
  /** Input folders, resolved. */
  folders: string[];
}

const MASK_SUFFIX = '.mask.png';

/** Files the jobs service itself writes in an output folder: never inputs, never reported. */
export function isBatchFile(name: string): boolean {
  return name.startsWith('.deblur-batch') || name.startsWith('deblur-batch-report.') || isTempName(name);
}

/** The temp-file name pattern of writeFileAtomic: `.<name, cut by tempStem>.<12 hex>.tmp`. */
export function isTempName(name: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.tmp$/.test(name);
}

export function isMask(path: string): boolean {
  return path.toLowerCase().endsWith(MASK_SUFFIX);
}

/** Why a file that is not a candidate photo is skipped, in the words the report shows. */
export function skipReason(path: string): string {
  return isMask(path) ? 'a mask without its photo' : notPhotoReason(path);
}

/**
 * Expands `inputs`; folders listed more than once, and the output folder when it lies inside an input folder,
 * are walked once / not at all. Several inputs mirror into sub-folders named after each input folder.
 */
export async function expandInputs(
  inputs: string[],
  options: { recursive: boolean; outputRoot: string },
): Promise<Expansion> {
  if (inputs.length === 0) throw new BatchUsageError('no input: name at least one folder or photo');
  const photos: FoundFile[] = [];
  const others: FoundFile[] = [];
  const originals = new Set<string>();
  const originalIds = new Map<string, string>();
  const folders: string[] = [];
  const seen = new Set<string>();
  const isOutput = await outputFolderTest(options.outputRoot);
  const several = inputs.length > 1;
  for (const input of inputs) {
    const path = resolve(input);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new BatchUsageError(`${input}: no such file or folder`);
    if (info.isDirectory()) {
      folders.push(path);
      const prefix = several ? basename(path) : '';
      for await (const file of walk(path, options.recursive, isOutput)) {
        if (seen.has(file)) continue;
        seen.add(file);
        originals.add(file);
        const id = await fileId(file);
        if (id) originalIds.set(id, file);
        const found = { path: file, rel: join(prefix, relative(path, file)), walked: true };
        if (isBatchFile(basename(file)) && (await insideOutput(file, path, isOutput))) continue;
        (formatFromPath(file) && !isMask(file) ? photos : others).push(found);
      }
    } else if (!seen.has(path)) {
      seen.add(path);
      originals.add(path);
      originalIds.set(idOf(info), path);
      const found = { path, rel: basename(path), walked: false };
      (formatFromPath(path) && !isMask(path) ? photos : others).push(found);
    }
  }
  return { photos, others, originals, originalIds, folders };
}

/** `device:inode` of an existing file (links followed), undefined when there is none. */
export async function fileId(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info ? idOf(info) : undefined;
}

function idOf(info: { dev: number; ino: number }): string {
  return `${info.dev}:${info.ino}`;
}

/** Whether a folder is the output folder, however it is spelled (a link to it, another case): by identity. */
export async function outputFolderTest(outputRoot: string): Promise<(folder: string) => Promise<boolean>> {
  const id = await fileId(outputRoot);
  return async (folder) => folder === outputRoot || (id !== undefined && (await fileId(folder)) === id);
}

/** Whether `file`, found walking `top`, lies in the output folder or below it. */
async function insideOutput(file: string, top: string, isOutput: (f: string) => Promise<boolean>) {
  for (let folder = dirname(file); isInside(folder, top); folder = dirname(folder)) {
    if (await isOutput(folder)) return true;
    if (folder === top) break;
  }
  return false;
}

async function* walk(
  folder: string,
  recursive: boolean,
  isOutput: (folder: string) => Promise<boolean>,
): AsyncGenerator<string> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      // The output folder inside an input folder holds our results, not photos to restore.
      if (recursive && !(await isOutput(path))) yield* walk(path, recursive, isOutput);
    } else if (entry.isFile()) {
      yield path;
    } else if (entry.isSymbolicLink()) {
      // Linked files are followed; linked folders are not (they can loop).
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile()) yield path;
    }
  }
}

export function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}
