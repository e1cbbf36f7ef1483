// The batch panel in Chromium with a scripted stand-in for main: folders, start, progress (done/total, ETA,
// current photo, failures), pause/resume/cancel and the summary (of a batch stopped by a full disk too); and
// formatEta.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  BatchControlRequest,
  BatchStartRequest,
  BatchProgressEvent,
  BatchResult,
  DeblurApi,
} from '../../src-main/contract';
import App from '../../src-renderer/App.svelte';
import { formatEta } from '../../src-renderer/features/batch/batch.svelte';
import { modelInfo } from './mask-fixture';

function scriptedApi() {
  const listeners = new Set<(event: BatchProgressEvent) => void>();
  const controls: BatchControlRequest[] = [];
  const starts: BatchStartRequest[] = [];
  let jobId = '';
  let finish: ((result: BatchResult) => void) | undefined;
  const unused = async () => ({ ok: false as const, error: { code: 'failed' as const, message: 'unused' } });
  const api: DeblurApi = {
    openPhotos: unused,
    openDropped: unused,
    listPhotos: async () => ({ ok: true, value: [] }),
    getPhoto: unused,
    closePhoto: unused,
    restore: unused,
    cancel: unused,
    detect: unused,
    loadMask: unused,
    saveMask: unused,
    exportPhoto: unused,
    listModels: async () => ({
      ok: true,
      value: [modelInfo('official', 'Official', { defaultThreshold: 0.62 })],
    }),
    importModel: unused,
    setDefaultModel: unused,
    removeModel: unused,
    modelCard: unused,
    chooseBatchFolder: async (kind) => ({ ok: true, value: { kind, path: `/albums/${kind}` } }),
    startBatch: (request) => {
      jobId = request.jobId;
      starts.push(request);
      return new Promise((resolve) => (finish = (value) => resolve({ ok: true, value })));
    },
    // As main's: only the running batch of that id is acted on; any other id is answered false.
    controlBatch: async (request) => (controls.push(request), { ok: true, value: request.jobId === jobId }),
    onBatchProgress: (callback) => (listeners.add(callback), () => listeners.delete(callback)),
    onProgress: () => () => {},
    onPhotosAdded: () => () => {},
    onMenuCommand: () => () => {},
  };
  return {
    api,
    controls,
    starts,
    emit: (event: Omit<BatchProgressEvent, 'jobId'>) =>
      listeners.forEach((callback) => callback({ ...event, jobId })),
    finish: (result: Omit<BatchResult, 'jobId'>) => finish?.({ ...result, jobId }),
  };
}

const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  flushSync();
};
const button = (name: string) =>
  [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim();

const base: Omit<BatchProgressEvent, 'jobId'> = {
  processed: 0,
  total: 10,
  done: 0,
  failed: 0,
  skipped: 0,
  resumed: 0,
  current: 'a.jpg',
  tiles: undefined,
  elapsedSeconds: 0,
  etaSeconds: undefined,
  paused: false,
  cancelling: false,
  failures: [],
};

/** Controls are looked up in the panel: the export dialog has a Quality slider too. */
const PANEL = 'aside[aria-label="Batch"]';

const finished: Omit<BatchResult, 'jobId'> = {
  outputFolder: '/albums/output',
  counts: { total: 0, done: 0, resumed: 0, skipped: 0, failed: 0, notRun: 0 },
  cancelled: false,
  stopped: undefined,
  seconds: 0,
  photosPerMinute: undefined,
  failures: [],
  skips: [],
  redone: [],
  report: undefined,
};

/** The app on the batch tab with both folders chosen. */
async function batchTab(script: ReturnType<typeof scriptedApi>) {
  const target = document.body.appendChild(document.createElement('div'));
  target.style.height = '600px';
  app = mount(App, { target, props: { api: script.api } });
  button('Batch')!.click();
  await settle();
  button('Input folder…')!.click();
  button('Output folder…')!.click();
  await settle();
}

let app: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
});

describe('formatEta', () => {
  it('reads as hours, minutes or seconds', () => {
    expect(formatEta(undefined)).toBe('estimating…');
    expect(formatEta(42.4)).toBe('42 s');
    expect(formatEta(185)).toBe('3 min 05 s');
    expect(formatEta(3720)).toBe('1 h 02 min');
  });
});

describe('Batch panel', () => {
  it('shows progress, ETA, the current photo and failures; pauses, resumes, cancels; shows the summary', async () => {
    const target = document.body.appendChild(document.createElement('div'));
    target.style.height = '600px';
    const script = scriptedApi();
    app = mount(App, { target, props: { api: script.api } });
    button('Batch')!.click();
    await settle();
    expect(button('Start batch')!.disabled).toBe(true);
    button('Input folder…')!.click();
    button('Output folder…')!.click();
    await settle();
    expect(text('batch-input')).toBe('/albums/input');
    expect(text('batch-output')).toBe('/albums/output');
    for (const [label, value] of [
      ['If an output exists', 'rename'],
      ['Model', 'official'],
    ]) {
      const select = document.querySelector<HTMLSelectElement>(`select[aria-label="${label}"]`)!;
      select.value = value!;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
    button('Start batch')!.click();
    await settle();
    expect(script.starts[0]).toMatchObject({ recursive: false, onExisting: 'rename', modelId: 'official' });
    expect(document.body.textContent).toContain('Planning…');

    script.emit(base);
    await settle();
    expect(text('batch-count')).toBe('0 / 10');
    expect(text('batch-eta')).toBe('estimating…');
    expect(text('batch-current')).toBe('a.jpg');

    script.emit({
      ...base,
      processed: 4,
      done: 3,
      failed: 1,
      current: 'e.jpg',
      etaSeconds: 95,
      failures: [{ name: 'd.jpg', reason: 'truncated file' }],
    });
    await settle();
    expect(text('batch-count')).toBe('4 / 10');
    expect(text('batch-eta')).toBe('1 min 35 s');
    expect(text('batch-current')).toBe('e.jpg');
    expect(document.querySelector('progress[aria-label="Batch progress"]')).toHaveProperty('value', 0.4);
    expect(document.querySelector('[aria-label="Failures"]')?.textContent).toContain('d.jpg: truncated file');

    button('Pause')!.click();
    script.emit({ ...base, processed: 4, paused: true, etaSeconds: 95 });
    await settle();
    expect(text('batch-eta')).toBe('paused');
    button('Resume')!.click();
    button('Cancel')!.click();
    await settle();
    const { jobId } = script.starts[0]!;
    expect(script.controls).toEqual([
      { jobId, action: 'pause' },
      { jobId, action: 'resume' },
      { jobId, action: 'cancel' },
    ]);

    script.finish({
      outputFolder: '/albums/output',
      counts: { total: 10, done: 5, resumed: 0, skipped: 0, failed: 1, notRun: 4 },
      cancelled: true,
      stopped: undefined,
      seconds: 12.5,
      photosPerMinute: 24,
      failures: [{ name: 'd.jpg', reason: 'truncated file' }],
      skips: [],
      redone: [{ name: 'b.jpg', reason: 'redone: made before with other settings (mask)' }],
      report: { json: 'deblur-batch-report.json', csv: 'deblur-batch-report.csv' },
    });
    await settle();
    const summary = text('batch-summary') ?? '';
    expect(summary).toContain('Cancelled in 12.5 s');
    expect(summary.replace(/\s+/g, ' ')).toContain('5 done (1 redone: settings changed), 0 resumed');
    expect(summary).toContain('b.jpg: redone: made before with other settings (mask)');
    expect(summary).toContain('4 not run');
    expect(summary).toContain('deblur-batch-report.json');
    expect(button('Start batch')!.disabled).toBe(false);
  });
  it('sends the output format, quality and bit depth; offers each only where the format uses it', async () => {
    const script = scriptedApi();
    await batchTab(script);
    const select = (label: string) =>
      document.querySelector<HTMLSelectElement>(`${PANEL} select[aria-label="${label}"]`)!;
    const choose = async (label: string, value: string) => {
      select(label).value = value;
      select(label).dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    };
    const quality = document.querySelector<HTMLInputElement>(`${PANEL} input[aria-label="Quality"]`)!;
    const sixteen = () => select('Bit depth').querySelector<HTMLOptionElement>('option:last-child')!;
    // Defaults: each photo's own format and depth, the encoder's default quality.
    button('Start batch')!.click();
    await settle();
    expect(script.starts[0]).toMatchObject({
      threshold: undefined,
      strength: 1,
      format: undefined,
      quality: 92,
      bitDepth: undefined,
    });
    script.finish({ ...finished });
    await settle();

    await choose('Output format', 'png');
    expect(quality.disabled).toBe(true);
    await choose('Bit depth', '16');
    button('Start batch')!.click();
    await settle();
    expect(script.starts[1]).toMatchObject({ format: 'png', quality: undefined, bitDepth: 16 });
    script.finish({ ...finished });
    await settle();

    // JPEG holds 8 bits only: the 16-bit choice falls back to the original's and is offered no more.
    await choose('Output format', 'jpeg');
    expect(sixteen().disabled).toBe(true);
    expect(select('Bit depth').value).toBe('same');
    quality.value = '75';
    quality.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    button('Start batch')!.click();
    await settle();
    expect(script.starts[2]).toMatchObject({ format: 'jpeg', quality: 75, bitDepth: undefined });
  });

  it("sends the threshold and strength; the threshold slider starts at the chosen model's own", async () => {
    const script = scriptedApi();
    await batchTab(script);
    const slider = (label: string) =>
      document.querySelector<HTMLInputElement>(`${PANEL} input[aria-label="${label}"]`)!;
    const model = document.querySelector<HTMLSelectElement>('select[aria-label="Model"]')!;
    model.value = 'official';
    model.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(slider('Threshold').value).toBe('0.62');
    for (const [label, value] of [
      ['Threshold', '0.4'],
      ['Strength', '0.75'],
    ] as const) {
      slider(label).value = value;
      slider(label).dispatchEvent(new Event('input', { bubbles: true }));
    }
    await settle();
    button('Start batch')!.click();
    await settle();
    expect(script.starts[0]).toMatchObject({ modelId: 'official', threshold: 0.4, strength: 0.75 });
    // Locked while the batch runs.
    expect(slider('Threshold').disabled).toBe(true);
    expect(slider('Strength').disabled).toBe(true);
  });
  it('shows a batch stopped by a full disk as stopped: what it did, why, and that running it again resumes', async () => {
    const script = scriptedApi();
    await batchTab(script);
    button('Start batch')!.click();
    await settle();
    script.emit({ ...base, processed: 2, done: 2 });
    await settle();
    const why =
      '/albums/output/c-deblurred.jpg: the disk of the output photos is full (not enough disk space; nothing was ' +
      'written); the batch stopped: the photos it finished are kept and, once there is free space on that disk, ' +
      'running the batch again resumes where it stopped';
    script.finish({
      outputFolder: '/albums/output',
      counts: { total: 10, done: 2, resumed: 0, skipped: 0, failed: 0, notRun: 8 },
      cancelled: false,
      stopped: why,
      seconds: 4,
      photosPerMinute: 30,
      failures: [],
      skips: [],
      redone: [],
      report: { json: 'deblur-batch-report.json', csv: 'deblur-batch-report.csv' },
    });
    await settle();
    expect(text('batch-summary')?.replace(/\s+/g, ' ')).toContain(
      'Stopped in 4.0 s: 2 done, 0 resumed, 0 skipped, 0 failed, 8 not run.',
    );
    expect(document.querySelector('[role="alert"]')?.textContent?.trim()).toBe(why);
    expect(text('batch-resume')).toBe(
      'Start the batch again with the same folders: it resumes where it stopped.',
    );
    // The reason main sends is neutral: the panel speaks of no command line.
    expect(text('batch-summary')).not.toMatch(/command/);
    expect(button('Start batch')!.disabled).toBe(false);
  });
});
