// The batch and models verbs through the real dispatch, jobs service and registry: folders chosen by (scripted)
// dialogs, a batch with progress, ETA, pause/resume and its summary; models listed, made default, removed, their
// cards, and "Add model…" cancelled or refused.
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHANNELS,
  EVENTS,
  type BatchProgressEvent,
  type BatchResult,
  type ImportModelResult,
  type ModelCardInfo,
  type ModelInfo,
  type Result,
} from '../../src-main/contract';
import { createDispatch, senderCheck } from '../../src-main/ipc';
import { Studio, type StudioHost } from '../../src-main/studio';
import { makePhoto, tempFolder } from '../imaging/helpers';

const APP = { url: 'file:///opt/deblur/out/renderer/index.html', topFrame: true };
const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');
const progress: BatchProgressEvent[] = [];
const folderAnswers: Record<string, string | undefined> = {};
let modelAnswer: string | undefined;
let onProgress: (event: BatchProgressEvent) => void = () => undefined;
const host: StudioHost = {
  chooseOpenPaths: async () => [],
  chooseSavePath: async () => undefined,
  chooseFolder: async (kind) => folderAnswers[kind],
  chooseModelFile: async () => modelAnswer,
  emit: (event, payload) => {
    if (event !== EVENTS.batchProgress) return;
    progress.push(payload as BatchProgressEvent);
    onProgress(payload as BatchProgressEvent);
  },
  imageUrl: (kind, id) => `deblur-photo://${kind}/${id}`,
};
const user = await tempFolder();
const studio = new Studio(host, { registry: { shipped: FIXTURES, user }, threads: 1 });
const dispatch = createDispatch(studio, senderCheck(APP.url));
const call = (channel: string, payload?: unknown) => dispatch(channel, payload, APP);
afterAll(() => studio.close());

function ok<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('batch verbs', () => {
  it('refuses a start before both folders are chosen, and bad payloads', async () => {
    expect(await call(CHANNELS.startBatch, { jobId: 'b0' })).toMatchObject({
      error: { code: 'invalid-request' },
    });
    expect(await call(CHANNELS.startBatch, { jobId: 'b0', input: '/etc' })).toMatchObject({
      error: { code: 'invalid-request' },
    });
    for (const bad of [
      { format: 'gif' },
      { quality: 0 },
      { quality: 92.5 },
      { bitDepth: 12 },
      { threshold: 1.5 },
      { strength: -0.1 },
    ]) {
      expect(await call(CHANNELS.startBatch, { jobId: 'b0', ...bad })).toMatchObject({
        error: { code: 'invalid-request' },
      });
    }
    expect(await call(CHANNELS.chooseBatchFolder, 'elsewhere')).toMatchObject({
      error: { code: 'invalid-request' },
    });
    expect(ok(await call(CHANNELS.chooseBatchFolder, 'input'))).toBeUndefined(); // cancelled dialog
    expect(ok(await call(CHANNELS.controlBatch, { jobId: 'none', action: 'pause' }))).toBe(false);
  });

  it('runs a folder with progress and ETA, pauses and resumes, and answers the summary', async () => {
    const root = await tempFolder();
    const input = join(root, 'album');
    await mkdir(input);
    for (const name of ['a.png', 'b.png', 'c.png']) await makePhoto(input, name, { width: 64, height: 48 });
    await writeFile(join(input, 'broken.jpg'), 'not a photo');
    folderAnswers.input = input;
    folderAnswers.output = join(root, 'out');
    expect(ok(await call(CHANNELS.chooseBatchFolder, 'input'))).toEqual({ kind: 'input', path: input });
    ok(await call(CHANNELS.chooseBatchFolder, 'output'));

    const controls: Promise<Result<unknown>>[] = [];
    let paused = false;
    onProgress = (event) => {
      if (event.processed === 1 && !paused) {
        paused = true;
        controls.push(call(CHANNELS.controlBatch, { jobId: 'b1', action: 'pause' }));
      } else if (event.paused) {
        controls.push(call(CHANNELS.controlBatch, { jobId: 'b1', action: 'resume' }));
      }
    };
    const running = call(CHANNELS.startBatch, { jobId: 'b1', device: 'cpu' });
    const busy = await call(CHANNELS.startBatch, { jobId: 'b2' });
    const result = ok<BatchResult>(await running);
    expect(busy, JSON.stringify(busy)).toMatchObject({ error: { code: 'busy' } });
    expect((await Promise.all(controls)).map((r) => ok(r))).toContain(true);

    expect(result).toMatchObject({ jobId: 'b1', cancelled: false, outputFolder: folderAnswers.output });
    expect(result.counts).toMatchObject({ done: 3, failed: 0 });
    expect(result.counts.skipped + result.failures.length).toBeGreaterThanOrEqual(1); // broken.jpg
    expect(result.report?.json).toMatch(/\.json$/);
    expect((await readdir(folderAnswers.output)).filter((f) => f.endsWith('.png'))).toHaveLength(3);

    expect(progress.some((e) => e.paused)).toBe(true);
    expect(progress.some((e) => e.current === 'a.png' || e.current === 'b.png')).toBe(true);
    expect(progress.find((e) => e.processed === 1)?.etaSeconds).toBeGreaterThanOrEqual(0);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ jobId: 'b1', total: 4, processed: 4, done: 3 }); // broken.jpg is processed, then skipped
    expect(JSON.stringify(progress)).not.toContain(input + '/'); // file names only
  }, 120_000);
});

describe('models verbs', () => {
  const list = async () => ok<ModelInfo[]>(await call(CHANNELS.listModels));

  it('lists shipped and imported models, selects the default, removes imported ones only', async () => {
    expect(await list()).toEqual([
      expect.objectContaining({
        id: 'lmdvit-fixture',
        source: 'shipped',
        default: true,
        defaultThreshold: 0.5,
      }),
    ]);
    await cp(join(FIXTURES, 'lmdvit-fixture'), join(user, 'mine'), { recursive: true });
    expect((await list()).map((m) => [m.id, m.source])).toEqual([
      ['lmdvit-fixture', 'shipped'],
      ['mine', 'imported'],
    ]);
    const chosen = ok<ModelInfo[]>(await call(CHANNELS.setDefaultModel, 'mine'));
    expect(chosen.find((m) => m.default)?.id).toBe('mine');
    expect(await call(CHANNELS.removeModel, 'lmdvit-fixture')).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(await call(CHANNELS.removeModel, '../etc')).toMatchObject({ error: { code: 'invalid-request' } });
    const after = ok<ModelInfo[]>(await call(CHANNELS.removeModel, 'mine'));
    expect(after).toEqual([expect.objectContaining({ id: 'lmdvit-fixture', default: true })]);
    expect(await call(CHANNELS.setDefaultModel, 'mine')).toMatchObject({ error: { code: 'not-found' } });
  });

  it('shows the card and manifest', async () => {
    const card = ok<ModelCardInfo>(await call(CHANNELS.modelCard, 'lmdvit-fixture'));
    expect(card.id).toBe('lmdvit-fixture');
    expect(card.manifest).toBeTypeOf('object');
  });

  it('"Add model…": a cancelled dialog adds nothing, a file that is not a checkpoint is refused', async () => {
    modelAnswer = undefined;
    expect(ok<ImportModelResult>(await call(CHANNELS.importModel))).toMatchObject({ model: undefined });
    modelAnswer = join(user, 'junk.pth');
    await writeFile(modelAnswer, 'not a checkpoint');
    const refused = await call(CHANNELS.importModel);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect((await list()).map((m) => m.id)).toEqual(['lmdvit-fixture']);
  });
});
