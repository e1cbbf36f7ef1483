// The batch journal: `.deblur-batch.journal.jsonl` in the output folder, append-only, one JSON object per
// line, each line fsync'd before the batch goes on. A killed run leaves at worst a torn last line, which is
// ignored. Order per photo: `planned` (with its output path), the atomic write, then `done` (with checksum);
// or `planned` then `cancelled` (stopped in the worker, nothing written).
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { NO_SPACE, stoppedBecause } from './disk-full';
import { isInside, outputFolderTest } from './expand';
import type { OutputSettings } from './settings';

export const JOURNAL_NAME = '.deblur-batch.journal.jsonl';

export type JournalRecord =
  | { t: 'start'; at: string; settings: Record<string, unknown> }
  | { t: 'planned'; input: string; output: string }
  | {
      t: 'done';
      input: string;
      output: string;
      sha256: string;
      bytes: number;
      keptRatio: number;
      meanConfidence: number;
      /** What the output was made with; absent in journals of older versions. */
      settings?: OutputSettings | undefined;
    }
  | { t: 'failed'; input: string; reason: string }
  /** Cancelled in the worker after `planned`: nothing was written, so its output path is not its own. */
  | { t: 'cancelled'; input: string }
  | { t: 'end'; at: string; cancelled: boolean };

export type PhotoRecord = Extract<JournalRecord, { t: 'planned' | 'done' | 'failed' }>;

export function journalPath(outputRoot: string): string {
  return join(outputRoot, JOURNAL_NAME);
}

export interface JournalState {
  /** The last record of each input (planned, done or failed), by input path. */
  last: Map<string, PhotoRecord>;
  /** Every output path this folder's batches wrote (or were writing when stopped), with its input: a file there
   * is ours to replace only for that input (another album's photo of the same name owns its own). */
  outputs: Map<string, string>;
  /** Every output path any planned or done record names: where this folder's batches may have left a temp file. */
  named: Set<string>;
}

/** Reads the journal at `path`; `inputSpelling` (planning's) gives each recorded input this run's spelling. */
export async function readJournal(
  path: string,
  inputSpelling?: (input: string) => Promise<string>,
): Promise<JournalState> {
  const last = new Map<string, PhotoRecord>();
  const outputs = new Map<string, string>();
  const named = new Set<string>();
  const text = await readFile(path, 'utf8').catch(() => '');
  const respell = await outputSpelling(dirname(path));
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      continue; // a line torn by a crash
    }
    if ('output' in record) record.output = await respell(record.output);
    if ('input' in record && inputSpelling) record.input = await inputSpelling(record.input);
    if (record.t === 'planned' || record.t === 'done' || record.t === 'failed')
      last.set(record.input, record);
    if (record.t === 'cancelled' && last.get(record.input)?.t === 'planned') last.delete(record.input);
    if (record.t === 'done') outputs.set(record.output, record.input);
    if (record.t === 'planned' || record.t === 'done') named.add(record.output);
  }
  // A planned output is ours only while it is its photo's last record (killed mid-write, or just after): a
  // photo that failed after planning never wrote there, so a file there is someone else's.
  for (const record of last.values()) if (record.t === 'planned') outputs.set(record.output, record.input);
  return { last, outputs, named };
}

/**
 * Spells an output path an earlier run recorded under `outputRoot` as this run does: that run may have reached
 * the folder through a link to it (or the other way round). Found by the folder's identity; a path in no
 * spelling of it (a folder since moved) stays as recorded.
 */
async function outputSpelling(outputRoot: string): Promise<(output: string) => Promise<string>> {
  const isOutput = await outputFolderTest(outputRoot);
  const folders = new Map<string, Promise<string | undefined>>(); // a recorded folder -> this spelling
  const spelled = async (folder: string): Promise<string | undefined> => {
    if (await isOutput(folder)) return outputRoot;
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    const above = await respelledFolder(parent);
    return above === undefined ? undefined : join(above, basename(folder));
  };
  const respelledFolder = (folder: string) => {
    let known = folders.get(folder);
    if (!known) folders.set(folder, (known = spelled(folder)));
    return known;
  };
  return async (output) => {
    if (isInside(output, outputRoot)) return output;
    const folder = await respelledFolder(dirname(output));
    return folder === undefined ? output : join(folder, basename(output));
  };
}

export class Journal {
  private constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
  ) {}

  /** Opens for appending; a torn last line is closed with a newline first so the next record stands alone. */
  static async open(path: string): Promise<Journal> {
    const handle = await open(path, 'a+');
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await handle.appendFile('\n');
    }
    return new Journal(handle, path);
  }

  /** Appends one record and waits until it is on disk. */
  async append(record: JournalRecord): Promise<void> {
    try {
      await this.handle.appendFile(`${JSON.stringify(record)}\n`);
      await this.handle.sync();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
      const when = NO_SPACE.has(code)
        ? 'once there is free space on its disk'
        : 'once its disk can be written';
      const what = `${this.path}: the batch journal cannot be written (${detail})`;
      throw new Error(stoppedBecause(what, when), { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
