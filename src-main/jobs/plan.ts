// Planning a batch: which photos, where each output goes, what an earlier run already finished (the journal),
// and the refusals that keep originals safe. Planning writes nothing; stale temp files are removed by the job
// once it holds the output folder's lock (removeStaleTemps), never while another batch may be writing.
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { formatFromPath, sidecarPath, tempStem } from '../imaging';
import { expandInputs, fileId, isInside, isMask, isTempName, skipReason, type Expansion } from './expand';
import { journalPath, readJournal, type PhotoRecord } from './journal';
import { lockOutput } from './lock';
import { checkTemplate, numbered, outputName } from './naming';
import { batchSettings, changedFor } from './settings';
import { REPORT_CSV, REPORT_JSON } from './summary';
import {
  BatchUsageError,
  DEFAULT_NAME_TEMPLATE,
  type BatchPlan,
  type BatchRequest,
  type PlannedPhoto,
  type ResumedPhoto,
  type SkippedFile,
} from './types';

export async function planBatch(request: BatchRequest): Promise<BatchPlan> {
  const template = request.name ?? DEFAULT_NAME_TEMPLATE;
  checkTemplate(template);
  const outputRoot = resolve(request.output);
  const outInfo = await stat(outputRoot).catch(() => undefined);
  if (outInfo && !outInfo.isDirectory()) throw new BatchUsageError(`-o ${request.output}: not a folder`);
  const found = await expandInputs(request.inputs, { recursive: request.recursive ?? false, outputRoot });
  const journal = journalPath(outputRoot);
  const { last: records, outputs: ours } = await readJournal(journal, inputSpelling(found));

  const claims = claimedOutputs(found, records, outputRoot, request);
  const settingsOf = await batchSettings(request);
  // Earlier outputs among the walked files, however either is spelled: the walk already knows each file's id.
  const oursWalked = new Set<string>();
  for (const output of ours.keys()) {
    const walked = found.originalIds.get((await fileId(output)) ?? '');
    if (walked) oursWalked.add(walked);
  }

  const photos: PlannedPhoto[] = [];
  const resumed: ResumedPhoto[] = [];
  const skipped: SkippedFile[] = reportOthers(found);
  const taken = new Set<string>(); // by folded spelling: see fold()
  for (const file of found.photos) {
    // Outputs of an earlier run found while walking (output folder = input folder, under any spelling) are not
    // inputs.
    if (file.walked && (ours.has(file.path) || oursWalked.has(file.path))) continue;
    const format = request.format ?? formatFromPath(file.path)!;
    const wanted = join(outputRoot, dirname(file.rel), outputName(file.path, format, template));
    if (await isOriginal(wanted, found, file.path)) {
      throw new BatchUsageError(
        `${file.path}: the output would overwrite this original (output folder ${outputRoot} with ` +
          `--name "${template}"); choose another output folder or name`,
      );
    }
    const record = records.get(file.path);
    const previous = record && record.t !== 'failed' && claims.get(record.output) === file.path;
    const mask = existsSync(sidecarPath(file.path)) ? sidecarPath(file.path) : undefined;
    const settings = await settingsOf(format, mask);
    const changed = record?.t === 'done' ? await changedFor(file.path, record.settings, settings) : [];
    if (previous && record.t === 'done' && !changed.length && (await sameSize(record.output, record.bytes))) {
      taken.add(fold(record.output));
      resumed.push({
        input: file.path,
        output: record.output,
        keptRatio: record.keptRatio,
        meanConfidence: record.meanConfidence,
      });
      continue;
    }
    const output = previous
      ? record.output
      : await choose(wanted, file.path, request, found, taken, ours, claims);
    if (typeof output !== 'string') {
      skipped.push({ input: file.path, reason: output.skip });
      continue;
    }
    taken.add(fold(output));
    photos.push({
      input: file.path,
      output,
      format,
      mask,
      replaces: existsSync(output),
      settings,
      // Into the same file: the earlier output is this photo's own.
      redo:
        previous && changed.length
          ? `redone: made before with other settings (${changed.join(', ')})`
          : undefined,
    });
  }
  return { request, outputRoot, journalPath: journal, photos, resumed, skipped };
}

/**
 * The outputs an earlier run planned or wrote for photos of this plan, by output path. One is reused (to resume
 * or finish it) only where this run would write too: inside this output folder, in this run's format, and for
 * the first photo that claims it, so no two photos share a file.
 */
function claimedOutputs(
  found: Expansion,
  records: Map<string, PhotoRecord>,
  outputRoot: string,
  request: BatchRequest,
): Map<string, string> {
  const claims = new Map<string, string>();
  for (const file of found.photos) {
    const record = records.get(file.path);
    if (!record || record.t === 'failed' || claims.has(record.output)) continue;
    const format = request.format ?? formatFromPath(file.path);
    if (isInside(record.output, outputRoot) && formatFromPath(record.output) === format) {
      claims.set(record.output, file.path);
    }
  }
  return claims;
}

/** A recorded input as this run spells it, found by identity: an album named through a link one run and directly
 * the next is one album. An input this run does not have stays as recorded. */
function inputSpelling(found: Expansion): (input: string) => Promise<string> {
  const known = new Map<string, Promise<string>>();
  return (input) => {
    if (found.originals.has(input)) return Promise.resolve(input);
    let now = known.get(input);
    if (!now) {
      now = fileId(input).then((id) => (id === undefined ? undefined : found.originalIds.get(id)) ?? input);
      known.set(input, now);
    }
    return now;
  };
}

/** Whether `path` is an input of this batch (or only `input`), by name or by identity. */
async function isOriginal(path: string, found: Expansion, input?: string): Promise<boolean> {
  if (input === undefined ? found.originals.has(path) : path === input) return true;
  const id = await fileId(path);
  if (id === undefined) return false;
  const original = found.originalIds.get(id);
  return original !== undefined && (input === undefined || original === input);
}

/** Non-photos are reported; sidecar masks of photos in the batch are not (they are applied). */
function reportOthers(found: Expansion): SkippedFile[] {
  const photos = new Set(found.photos.map((file) => file.path));
  return found.others
    .filter((file) => !(isMask(file.path) && photos.has(file.path.slice(0, -'.mask.png'.length))))
    .map((file) => ({ input: file.path, reason: skipReason(file.path) }));
}

/** The output path for a new photo, honouring --on-existing; never an original, never one taken in this plan
 * or claimed by another photo's earlier run. An existing file is replaced without asking only when an earlier
 * run wrote it for this same input: an output of another album's photo of the same name is not ours. */
async function choose(
  wanted: string,
  input: string,
  request: BatchRequest,
  found: Expansion,
  taken: Set<string>,
  ours: Map<string, string>,
  claims: Map<string, string>,
): Promise<string | { skip: string }> {
  const policy = request.onExisting ?? 'skip';
  const free = (path: string) => !taken.has(fold(path)) && (claims.get(path) ?? input) === input;
  let path = wanted;
  for (let n = 2; !free(path); n++) path = numbered(wanted, n); // two inputs, one name
  const original = await isOriginal(path, found);
  if (!original && (ours.get(path) === input || !existsSync(path))) return path;
  if (policy === 'overwrite-outputs') {
    if (original) {
      throw new BatchUsageError(
        `${input}: its output ${path} is an input photo; --on-existing overwrite-outputs would replace an ` +
          'original. Choose another output folder or --name',
      );
    }
    return path;
  }
  if (policy === 'skip') {
    return { skip: `output exists: ${path} (--on-existing rename or overwrite-outputs to restore it)` };
  }
  const base = path;
  for (let n = 2; ; n++) {
    path = numbered(base, n);
    if (free(path) && !found.originals.has(path) && !existsSync(path)) return path;
  }
}

/** Output paths compared as macOS and Windows file systems do, case- and normalisation-blind: IMG_1.JPG and
 * img_1.jpg restored to one format would otherwise get two names for one file there (and on a copied album). */
function fold(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

async function sameSize(path: string, bytes: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() === true && info.size === bytes;
}

/** Removes `.<name>.<hex>.tmp` files (the name cut by tempStem) left by interrupted atomic writes: of this plan's
 * outputs, of every output the journal names (an earlier run's, whatever its format or --name) and of the
 * reports. A temp-named file of any other name is not ours. Call it only while holding the output folder's lock:
 * another batch's temp file is not stale. */
export async function removeStaleTemps(plan: BatchPlan): Promise<number> {
  // Read again, not taken from planning: a batch that ran between planning and the lock may have named more.
  const { named } = await readJournal(plan.journalPath);
  const outputs = [
    ...[...plan.photos, ...plan.resumed].map((p) => p.output),
    ...[...named].filter((output) => isInside(output, plan.outputRoot)), // not those of a moved folder
    ...[REPORT_JSON, REPORT_CSV].map((name) => join(plan.outputRoot, name)),
  ];
  const byFolder = new Map<string, Set<string>>();
  for (const output of outputs) {
    const names = byFolder.get(dirname(output)) ?? new Set<string>();
    names.add(tempStem(basename(output)));
    byFolder.set(dirname(output), names);
  }
  let removed = 0;
  for (const [folder, names] of byFolder) {
    const entries = await readdir(folder).catch(() => [] as string[]);
    for (const entry of entries) {
      if (!isTempName(entry)) continue;
      const target = entry.slice(1).replace(/\.[0-9a-f]{12}\.tmp$/, '');
      if (names.has(target) && (await removeFile(join(folder, entry)))) removed++;
    }
  }
  return removed;
}

/** unlink, not rm: a file only. One that cannot go (a read-only folder) stays: the photos bound there fail on
 * their own write and the rest of the batch runs. */
function removeFile(path: string): Promise<boolean> {
  return unlink(path).then(
    () => true,
    () => false,
  );
}

/**
 * Creates the output folder and takes its lock (lockOutput), which also shows that the folder can be written
 * before any work starts; returns the lock's release.
 */
export async function prepareOutput(plan: BatchPlan): Promise<() => Promise<void>> {
  try {
    await mkdir(plan.outputRoot, { recursive: true });
    return await lockOutput(plan.outputRoot);
  } catch (error) {
    if (error instanceof BatchUsageError) throw error; // another batch holds it
    const detail = error instanceof Error ? error.message : String(error);
    // The folder as asked cannot be used at all: a request that cannot run as given (the CLI exits 2).
    throw new BatchUsageError(
      `output folder ${plan.outputRoot} cannot be written (${detail}); nothing was written`,
      { cause: error },
    );
  }
}
