// Which mask a Run sends while the photo's sidecar is loading or broken, and a Run's result arriving after the
// photo's entry changed (a mask saved meanwhile). State only, with the scripted stand-in for main.
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { GrayImage, RestoreRequest, RestoredInfo, Result } from '../../src-main/contract';
import { FORCE } from '../../src-renderer/features/mask/values';
import { AppState } from '../../src-renderer/lib/app.svelte';
import { grids, photoInfo, restoredInfo, scriptedApi } from './mask-fixture';

const detected = {
  jobId: 'job',
  provider: 'cpu' as const,
  fallbackReason: undefined,
  threshold: 0.5,
  keptRatio: 0.25,
  seconds: 0.1,
  confidence: { width: 40, height: 30, data: new Uint8Array(40 * 30) },
  decisions: grids(40, 30, {}),
};

let state: AppState | undefined;
afterEach(() => {
  state?.dispose();
  state = undefined;
});

/** A promise with its resolve handed out. */
function pending<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = async () => {
  for (let i = 0; i < 3; i++) await Promise.resolve();
  flushSync();
};

describe('the mask a Run sends', () => {
  it('leaves it to main while the sidecar is loading, and when the sidecar failed to load', async () => {
    const photo = photoInfo('p1', 40, 30, { hasMask: true });
    const script = scriptedApi([photo]);
    const load = pending<Result<GrayImage | undefined>>();
    script.api.loadMask = () => load.promise;
    const app = (state = new AppState(script.api));
    app.library.add({ photos: [photo], skipped: [] });
    flushSync();
    expect(app.mask.current?.loading).toBe(true);
    // All auto here would override the sidecar the editor is about to show.
    expect(app.mask.maskForRun(app.library.selected!)).toBeUndefined();

    load.resolve({ ok: false, error: { code: 'failed', message: 'the mask is 20x20, the photo 40x30' } });
    await settle();
    expect(app.mask.current?.error).toMatch(/20x20/);
    expect(app.mask.maskForRun(app.library.selected!)).toBeUndefined(); // main reports the broken sidecar

    // Painted over since: the editor's mask is the user's; cleared again: an explicit all-auto mask.
    app.mask.current!.beginStroke({ x: 10, y: 10 }, 'protect', 8, 1);
    app.mask.current!.endStroke();
    expect(app.mask.maskForRun(app.library.selected!)!.data[10 * 40 + 10]).toBe(0);
    app.mask.clear();
    const cleared = app.mask.maskForRun(app.library.selected!)!;
    expect(cleared.data.length).toBe(40 * 30);
    expect(cleared.data.every((value) => value === 128)).toBe(true);
  });

  it("a Run's result keeps a mask saved while it ran, so a later Clear still overrides the sidecar", async () => {
    const photo = photoInfo('p1', 40, 30);
    const script = scriptedApi([photo]);
    const requests: RestoreRequest[] = [];
    const first = pending<Result<RestoredInfo>>();
    // Told apart from the second Run's result by its kept ratio.
    const firstResult = restoredInfo(photo, { keptRatio: 0.31 });
    script.api.restore = (request) => {
      requests.push(request);
      return requests.length === 1
        ? first.promise
        : Promise.resolve({ ok: true, value: restoredInfo(photo) });
    };
    const app = (state = new AppState(script.api));
    app.library.add({ photos: [photo], skipped: [] });
    await settle();

    const running = app.runSelected();
    const document = app.mask.current!;
    document.beginStroke({ x: 10, y: 10 }, 'protect', 8, 1);
    document.endStroke();
    await app.mask.save();
    expect(app.library.selected!.hasMask).toBe(true);
    first.resolve({ ok: true, value: firstResult });
    await running;
    expect(app.library.selected!.restored).toEqual(firstResult);
    expect(app.library.selected!.hasMask).toBe(true); // not the entry as it was when the Run started

    app.mask.clear();
    await app.runSelected();
    expect(requests[1]!.mask?.data.every((value) => value === 128)).toBe(true);
  });

  it('lists the photos whose masks have unsaved strokes (they hold the window open)', async () => {
    const photos = [photoInfo('p1', 40, 30), photoInfo('p2', 40, 30)];
    const script = scriptedApi(photos);
    const app = (state = new AppState(script.api));
    app.library.add({ photos, skipped: [] });
    await settle();
    expect(app.mask.unsavedPhotos()).toEqual([]);
    const paint = () => {
      app.mask.current!.beginStroke({ x: 5, y: 5 }, 'force', 4, 1);
      app.mask.current!.endStroke();
    };
    paint();
    app.library.select('p2');
    await settle();
    paint();
    expect(app.mask.unsavedPhotos()).toEqual(['p1', 'p2']);
    await app.mask.save();
    expect(app.mask.unsavedPhotos()).toEqual(['p1']);
  });

  it('lets go of clean masks and detect results of photos not selected lately, never of unsaved ones', async () => {
    const photos = Array.from({ length: 9 }, (_, i) => photoInfo(`p${i}`, 40, 30));
    const script = scriptedApi(photos);
    script.api.detect = async (request) => ({
      ok: true,
      value: { ...detected, jobId: request.jobId },
    });
    const app = (state = new AppState(script.api));
    app.library.add({ photos, skipped: [] });
    await settle();
    for (const photo of photos) {
      app.library.select(photo.id);
      await settle();
      if (photo.id === 'p1') {
        app.mask.current!.beginStroke({ x: 5, y: 5 }, 'force', 4, 1);
        app.mask.current!.endStroke();
      }
      await app.detectSelected();
    }
    expect(app.mask.document('p0')).toBeUndefined(); // clean and least recently selected
    expect(app.mask.document('p1')?.unsaved).toBe(true); // unsaved: kept
    // p1 (unsaved) and the six most recently selected, less the clean ones beyond KEPT_DOCUMENTS (6).
    expect(photos.map((photo) => photo.id).filter((id) => app.mask.document(id))).toEqual([
      'p1',
      'p4',
      'p5',
      'p6',
      'p7',
      'p8',
    ]);
    const selected = app.mask.document('p8')!;
    expect(selected.photoId).toBe('p8');
    expect(selected.unsaved).toBe(false);
    expect(selected.toGrayImage()).toBeUndefined(); // no sidecar, never painted: all auto
    expect([...app.detect.results.keys()]).toEqual(['p3', 'p4', 'p5', 'p6', 'p7', 'p8']);
    app.library.select('p0');
    await settle();
    expect(script.loads.filter((id) => id === 'p0')).toHaveLength(2); // its sidecar read again
  });

  it('undoes mask strokes only with the Mask tab open (elsewhere it says where)', async () => {
    const photo = photoInfo('p1', 40, 30);
    const app = (state = new AppState(scriptedApi([photo]).api));
    app.library.add({ photos: [photo], skipped: [] });
    await settle();
    app.mask.current!.beginStroke({ x: 5, y: 5 }, 'force', 4, 1);
    app.mask.current!.endStroke();
    const painted = app.mask.toGrayImage()!;
    expect([painted.width, painted.height]).toEqual([40, 30]);
    expect(painted.data[5 * 40 + 5]).toBe(FORCE);
    app.panel = 'restore';
    await app.command('undo');
    // Not undone: the same mask as before the Ctrl+Z.
    expect(app.mask.toGrayImage()).toEqual(painted);
    expect(app.status).toMatch(/open the Mask tab/);
    app.panel = 'mask';
    await app.command('undo');
    expect(app.mask.toGrayImage()).toBeUndefined();
  });
});
