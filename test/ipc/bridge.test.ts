// The end-to-end tests' transport (test/e2e/bridge): Uint8Arrays travel through its JSON as tagged base64 both
// ways. The codec on its own, then the page's client script (run in a fresh V8 context, as in a page) against the
// real bridge server: a mask saved through it comes back byte for byte.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { DeblurApi, GrayImage, OpenResult, Result } from '../../src-main/contract';
import { bytesReplacer, bytesReviver } from '../e2e/bridge/bytes.js';
import { clientScript, startBridge } from '../e2e/bridge/server';
import { makePhoto, tempFolder } from '../imaging/helpers';
import { resolve } from 'node:path';
import sharp from 'sharp';

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value, bytesReplacer), bytesReviver);

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('bridge byte encoding', () => {
  it('round-trips Uint8Arrays (and Buffers) anywhere in a value, and leaves other values alone', () => {
    const big = new Uint8Array(300_000).map((_, i) => (i * 7919) % 256);
    const value = {
      mask: { width: 2, height: 2, data: new Uint8Array([0, 128, 255, 7]) },
      list: [{ data: Buffer.from([1, 2, 3]) }, big, new Uint8Array(0)],
      plain: { $bytes: 1, other: 'x' },
      text: '$bytes',
      numbers: [1, 2, 3],
    };
    const text = JSON.stringify(value, bytesReplacer);
    expect(text).toContain('{"$bytes":"AID/Bw=="}');
    const back = roundTrip(value);
    expect(back.mask.data).toBeInstanceOf(Uint8Array);
    expect(back.mask.data).toEqual(new Uint8Array([0, 128, 255, 7]));
    expect(back.list[0].data).toEqual(new Uint8Array([1, 2, 3]));
    expect(back.list[1]).toEqual(big);
    expect(back.list[2]).toEqual(new Uint8Array(0));
    expect(back).toMatchObject({ plain: { $bytes: 1, other: 'x' }, text: '$bytes', numbers: [1, 2, 3] });
  });

  it("carries a mask through the page's client and the server both ways", async () => {
    const bridge = await startBridge({
      registry: { shipped: resolve(import.meta.dirname, '..', 'fixtures'), user: '/nonexistent' },
      threads: 1,
    });
    try {
      const origin = new URL(bridge.url).origin;
      const page: { window: { deblur?: DeblurApi } } & Record<string, unknown> = {
        window: {},
        atob,
        btoa,
        // The page's fetch: relative URLs on the bridge, sent from the page's origin.
        fetch: (url: string, init: RequestInit = {}) =>
          fetch(new URL(url, origin), { ...init, headers: { ...init.headers, origin } }),
        EventSource: class {
          onmessage: unknown;
        },
      };
      runInNewContext(await clientScript(), page);
      const api = page.window.deblur!;

      const photo = await makePhoto(await tempFolder(), 'p.png', { width: 5, height: 3 });
      bridge.openAnswers.push([photo]);
      const opened = ok<OpenResult>(await api.openPhotos());
      const id = opened.photos[0]!.id;
      const data = new Uint8Array([0, 255, 128, 0, 255, 200, 10, 64, 191, 192, 63, 0, 1, 2, 255]);
      expect(ok(await api.saveMask({ photoId: id, mask: { width: 5, height: 3, data } }))).toEqual({
        file: 'p.png.mask.png',
      });
      const loaded = ok<GrayImage | undefined>(await api.loadMask(id))!;
      expect(Object.prototype.toString.call(loaded.data)).toBe('[object Uint8Array]');
      expect([...loaded.data]).toEqual([...data]);
    } finally {
      await bridge.close();
    }
  });
});

describe('bridge images', () => {
  it("serves the viewer's screen copy and tiles by URL, and 404 for addresses it does not know", async () => {
    const bridge = await startBridge({
      registry: { shipped: resolve(import.meta.dirname, '..', 'fixtures'), user: '/nonexistent' },
      threads: 1,
    });
    try {
      const path = await makePhoto(await tempFolder(), 'wide.png', { width: 1100, height: 40 });
      const info = (await bridge.studio.addPaths([path])).photos[0]!;
      const get = (url: string) => fetch(new URL(url, bridge.url));
      const screen = await get(info.view.screenUrl);
      expect([screen.status, screen.headers.get('content-type')]).toEqual([200, 'image/png']);
      const tileUrl = (column: string, row: string) =>
        info.view.tileUrl.replace('{column}', column).replace('{row}', row);
      const tile = await get(tileUrl('1', '0'));
      expect(tile.status).toBe(200);
      expect((await sharp(Buffer.from(await tile.arrayBuffer())).metadata()).width).toBe(1100 - 1024);
      for (const url of [
        tileUrl('2', '0'),
        tileUrl('01', '0'),
        tileUrl('-1', '0'),
        `/deblur-photo/photo-screen/${info.id}/0/0`,
        `/deblur-photo/photo-tile/${info.id}`,
        `/deblur-photo/tile/${info.id}/0/0`,
      ]) {
        expect((await get(url)).status, url).toBe(404);
      }
    } finally {
      await bridge.close();
    }
  });
});
