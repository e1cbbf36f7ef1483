import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHANNELS,
  type OpenResult,
  type EventChannel,
  type RestoredInfo,
  type Result,
} from '../../src-main/contract';
import { createDispatch, senderCheck } from '../../src-main/ipc';
import { Studio, type StudioHost } from '../../src-main/studio';
import { makePhoto, tempFolder } from '../imaging/helpers';

const APP = { url: 'file:///opt/deblur/out/renderer/index.html', topFrame: true };
const events: { event: EventChannel; payload: unknown }[] = [];
let openAnswer: string[] = [];
let saveAnswer: string | undefined;
const host: StudioHost = {
  chooseOpenPaths: async () => openAnswer,
  chooseSavePath: async () => saveAnswer,
  chooseFolder: async () => undefined,
  chooseModelFile: async () => undefined,
  emit: (event, payload) => events.push({ event, payload }),
  imageUrl: (kind, id, version) => `deblur-photo://${kind}/${id}${version ? `?v=${version}` : ''}`,
};
const studio = new Studio(host, {
  registry: { shipped: resolve(import.meta.dirname, '..', 'fixtures'), user: '/nonexistent' },
  threads: 1,
});
const dispatch = createDispatch(studio, senderCheck(APP.url));
afterAll(() => studio.close());

function ok<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('ipc dispatch', () => {
  it('refuses other pages, sub-frames, unknown channels and payloads that fail the schema', async () => {
    const other = { url: 'https://example.com/', topFrame: true };
    expect(await dispatch(CHANNELS.listPhotos, undefined, other)).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(await dispatch(CHANNELS.listPhotos, undefined, { ...APP, topFrame: false })).toMatchObject({
      error: { code: 'forbidden' },
    });
    const sibling = { url: 'file:///tmp/evil.html', topFrame: true };
    expect(await dispatch(CHANNELS.listPhotos, undefined, sibling)).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(await dispatch('fs:read', '/etc/passwd', APP)).toMatchObject({
      error: { code: 'invalid-request' },
    });
    const bad = await dispatch(CHANNELS.restore, { jobId: 'j1', photoId: 'p', threshold: 7 }, APP);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const extra = await dispatch(CHANNELS.restore, { jobId: 'j1', photoId: 'p', path: '/etc' }, APP);
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const mask = { width: 4, height: 3, data: new Uint8Array(11) };
    const short = await dispatch(CHANNELS.restore, { jobId: 'j1', photoId: 'p', mask }, APP);
    expect(short).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-request',
        message: 'invalid request at mask.data: mask data does not match its width x height',
      },
    });
    const notBytes = { photoId: 'p', mask: { width: 1, height: 1, data: [7] } };
    expect(await dispatch(CHANNELS.saveMask, notBytes, APP)).toMatchObject({
      error: { code: 'invalid-request' },
    });
    const gif = { photoId: 'p', format: 'gif', metadata: 'all' };
    expect(await dispatch(CHANNELS.exportPhoto, gif, APP)).toMatchObject({
      error: { code: 'invalid-request' },
    });
    expect(await dispatch(CHANNELS.getPhoto, 'missing', APP)).toMatchObject({ error: { code: 'not-found' } });
  });

  it('opens photos by dialog, skips non-photos, restores with progress and exports beside the original', async () => {
    const folder = await tempFolder();
    const photo = await makePhoto(folder, 'shot.png', { width: 96, height: 64 });
    const notes = join(folder, 'notes.txt');
    await writeFile(notes, 'hello');
    openAnswer = [photo, notes, 'relative.png'];
    const opened = ok<OpenResult>(await dispatch(CHANNELS.openPhotos, undefined, APP));
    expect(opened.photos).toHaveLength(1);
    expect(opened.skipped.map((s) => s.name)).toEqual(['notes.txt', 'relative.png']);
    const info = opened.photos[0]!;
    expect(info).toMatchObject({
      name: 'shot.png',
      width: 96,
      height: 64,
      url: `deblur-photo://photo/${info.id}`,
    });
    expect(JSON.stringify(info)).not.toContain(join(folder, 'shot.png'));
    expect((await studio.image('thumb', info.id)).mime).toBe('image/jpeg');

    const restored = ok<RestoredInfo>(
      await dispatch(CHANNELS.restore, { jobId: 'job-1', photoId: info.id, device: 'cpu' }, APP),
    );
    expect(restored).toMatchObject({ provider: 'cpu', url: `deblur-photo://result/${info.id}?v=job-1` });
    expect(events.some((e) => e.event === 'event:progress')).toBe(true);
    expect((await studio.image('result', info.id)).mime).toBe('image/png');

    saveAnswer = photo;
    const exportPng = { photoId: info.id, format: 'png', metadata: 'all' };
    expect(await dispatch(CHANNELS.exportPhoto, exportPng, APP)).toMatchObject({
      error: { code: 'forbidden' },
    });
    saveAnswer = join(folder, 'out.png');
    expect(ok(await dispatch(CHANNELS.exportPhoto, exportPng, APP))).toEqual({
      path: saveAnswer,
      warnings: [],
    });
    expect(ok(await dispatch(CHANNELS.closePhoto, info.id, APP))).toBe(true);
    await expect(studio.image('photo', info.id)).rejects.toThrow(/no open photo/);
  });
});
