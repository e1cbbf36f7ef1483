// The App component in Chromium with a scripted stand-in for main (the real services are covered by the e2e
// test): open, album strip, run with progress and cancel, status facts, hold-to-see-original.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  DeblurApi,
  MenuCommand,
  ModelInfo,
  PhotoInfo,
  ProgressEvent,
  RestoreRequest,
  RestoredInfo,
} from '../../src-main/contract';
import App from '../../src-renderer/App.svelte';
import { modelInfo, restoredInfo } from './mask-fixture';

function dataUrl(color: string): string {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const context = canvas.getContext('2d')!;
  context.fillStyle = color;
  context.fillRect(0, 0, 64, 48);
  return canvas.toDataURL('image/png');
}

/** A small photo's view: its own image, no tiles (it fits the screen copy). */
const smallView = (url: string) => ({
  screenUrl: url,
  screenWidth: 64,
  screenHeight: 48,
  tileUrl: 'tile/{column}/{row}',
  tileSize: 1024,
});

const photo: PhotoInfo = {
  id: 'p1',
  name: 'street.png',
  folder: '/photos',
  width: 64,
  height: 48,
  format: 'png',
  depth: 8,
  url: dataUrl('#804020'),
  thumbnailUrl: dataUrl('#804020'),
  view: smallView(dataUrl('#804020')),
  restored: undefined,
  hasMask: false,
};

function scriptedApi() {
  const progress = new Set<(event: ProgressEvent) => void>();
  const menu = new Set<(command: MenuCommand) => void>();
  let finish: ((result: RestoredInfo | 'cancelled') => void) | undefined;
  const requests: RestoreRequest[] = [];
  const cancels: string[] = [];
  const api: DeblurApi = {
    openPhotos: async () => ({ ok: true, value: { photos: [photo], skipped: [] } }),
    openDropped: async () => ({
      ok: true,
      value: { photos: [], skipped: [{ name: 'a.txt', reason: 'not a photo' }] },
    }),
    listPhotos: async () => ({ ok: true, value: [photo] }),
    getPhoto: async () => ({ ok: true, value: photo }),
    closePhoto: async () => ({ ok: true, value: true }),
    restore: (request) => {
      requests.push(request);
      return new Promise((resolve) => {
        finish = (result) => {
          finish = undefined;
          resolve(
            result === 'cancelled'
              ? { ok: false, error: { code: 'cancelled', message: 'restore cancelled' } }
              : { ok: true, value: result },
          );
        };
      });
    },
    // As main's: only the running job of that id is stopped; any other id is answered false.
    cancel: async (jobId) => {
      cancels.push(jobId);
      const running = finish !== undefined && jobId === requests.at(-1)?.jobId;
      if (running) finish!('cancelled');
      return { ok: true, value: running };
    },
    detect: async () => ({ ok: false, error: { code: 'failed', message: 'not scripted' } }),
    loadMask: async () => ({ ok: true, value: undefined }),
    saveMask: async () => ({ ok: true, value: { file: undefined } }),
    exportPhoto: async () => ({ ok: true, value: { path: undefined, warnings: [] } }),
    listModels: async () => ({ ok: true, value: MODELS }),
    importModel: async () => ({ ok: true, value: { model: undefined, existing: false, seconds: 0 } }),
    setDefaultModel: async () => ({ ok: true, value: [] }),
    removeModel: async () => ({ ok: true, value: [] }),
    modelCard: async (id) => ({ ok: true, value: { id, card: undefined, manifest: {} } }),
    chooseBatchFolder: async () => ({ ok: true, value: undefined }),
    startBatch: async () => ({ ok: false, error: { code: 'failed', message: 'not scripted' } }),
    controlBatch: async () => ({ ok: true, value: false }),
    onBatchProgress: () => () => {},
    onProgress: (callback) => (progress.add(callback), () => progress.delete(callback)),
    onPhotosAdded: () => () => {},
    onMenuCommand: (callback) => (menu.add(callback), () => menu.delete(callback)),
  };
  return {
    api,
    requests,
    cancels,
    emitProgress: (event: ProgressEvent) => progress.forEach((callback) => callback(event)),
    menu: (command: MenuCommand) => menu.forEach((callback) => callback(command)),
    finish: (result: RestoredInfo) => finish?.(result),
  };
}

const MODELS: ModelInfo[] = [
  modelInfo('shipped', 'Shipped', { source: 'shipped', default: true, defaultThreshold: 0.62 }),
  modelInfo('shipped-dense', 'Dense', { source: 'shipped', variant: 'dense' }),
  modelInfo('official', 'Official'),
];

const restored = restoredInfo(
  { url: dataUrl('#2080ff'), view: smallView(dataUrl('#2080ff')), width: 64, height: 48 },
  {
    jobId: 'x',
    fallbackReason: 'CUDA unavailable: test',
    keptRatio: 0.532,
    seconds: 1.25,
    tiles: { total: 2, run: 2, skipped: 0, size: 256 },
  },
);

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  flushSync();
};
const button = (name: string) =>
  [...document.querySelectorAll('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name,
  );

let app: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
});

describe('App', () => {
  it('opens, runs with progress, cancels, runs again and shows the device, fallback and kept ratio', async () => {
    const target = document.body.appendChild(document.createElement('div'));
    target.style.height = '600px';
    const script = scriptedApi();
    app = mount(App, { target, props: { api: script.api } });
    expect(document.body.textContent).toContain('No photo open');
    expect(button('Open…')?.title).toContain('Ctrl+O');

    button('Open…')!.click();
    await settle();
    expect(button('street.png')).toBeDefined();
    expect(document.querySelector('img[alt="Original: street.png"]')).not.toBeNull();

    // The model picker: the default first, dense benchmark variants left out; the choice goes with Run.
    const picker = document.querySelector<HTMLSelectElement>('select[aria-label="Model"]')!;
    expect([...picker.options].map((option) => option.textContent)).toEqual([
      'Default (Shipped)',
      'Shipped',
      'Official',
    ]);
    // The threshold slider starts at the chosen model's own tau, and the run leaves it to the model.
    const tau = () => document.querySelector<HTMLInputElement>('input[aria-label="Threshold"]')!.value;
    expect(tau()).toBe('0.62');
    button('Run')!.click();
    await settle();
    expect(script.requests[0]).toMatchObject({ photoId: 'p1', strength: 1, modelId: undefined });
    expect(script.requests[0]!.threshold).toBeUndefined();
    script.emitProgress({ jobId: script.requests[0]!.jobId, photoId: 'p1', done: 1, total: 4, skipped: 0 });
    await settle();
    expect(document.querySelector('progress')?.value).toBe(0.25);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await settle();
    expect(script.cancels).toEqual([script.requests[0]!.jobId]);
    expect(document.querySelector('[role="alert"]')?.textContent).toBe('Cancelled');

    picker.value = 'official';
    picker.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(tau()).toBe('0.5');
    script.menu('run');
    await settle();
    expect(script.requests[1]).toMatchObject({ modelId: 'official' });
    script.finish({ ...restored, jobId: script.requests[1]!.jobId });
    await settle();
    expect(document.querySelector('[data-testid="device"]')?.textContent).toBe('CPU');
    expect(document.body.textContent).toContain('CUDA unavailable: test');
    expect(document.body.textContent).toContain('53.2 %');
    expect(button('street.png (restored)')).toBeDefined();

    const after = document.querySelector<HTMLImageElement>('img[alt="Restored: street.png"]')!;
    expect(after.style.clipPath).toMatch(/^inset\(0(px)? 0(px)? 0(px)? [\d.]+px\)$/);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'o' }));
    await settle();
    expect(after.style.clipPath).toBe('inset(0px 0px 0px 64px)');
    expect(document.body.textContent).toContain('Original');
    window.dispatchEvent(new KeyboardEvent('keyup', { key: 'o' }));
    await settle();
    expect(after.style.clipPath).not.toBe('inset(0px 0px 0px 64px)');
  });
});
