// A real Studio for the studio tests: the fixture model, a scripted host (save dialog answers, recorded events),
// a temp cache, and every request through the same ipc dispatch as Electron.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll } from 'vitest';
import {
  CHANNELS,
  type EventChannel,
  type OpenResult,
  type PhotoInfo,
  type Result,
} from '../../src-main/contract';
import { createDispatch, senderCheck } from '../../src-main/ipc';
import { Studio, type StudioHost } from '../../src-main/studio';

const APP = { url: 'file:///opt/deblur/out/renderer/index.html', topFrame: true };

export interface TestStudio {
  studio: Studio;
  /** The studio's cache folder (results in `<cacheDir>/<photo id>/<job id>/`). */
  cacheDir: string;
  /** Sends a request as the app's renderer would. */
  call(channel: string, payload?: unknown): Promise<Result<unknown>>;
  /** The next save dialogs' answers; the dialogs' suggested paths are recorded in `suggested`. */
  /** (A promise: the dialog stays open until it settles.) */
  saveAnswers: (string | undefined | Promise<string | undefined>)[];
  suggested: string[];
  /** The next folder dialogs' answers. */
  folderAnswers: (string | undefined)[];
  events: { event: EventChannel; payload: unknown }[];
  open(path: string): Promise<PhotoInfo>;
}

/** A studio closed (and its cache removed) after the file's tests. */
export function testStudio(): TestStudio {
  const saveAnswers: TestStudio['saveAnswers'] = [];
  const suggested: string[] = [];
  const folderAnswers: (string | undefined)[] = [];
  const events: TestStudio['events'] = [];
  const host: StudioHost = {
    chooseOpenPaths: async () => [],
    chooseSavePath: async (path) => (suggested.push(path), await saveAnswers.shift()),
    chooseFolder: async () => folderAnswers.shift(),
    chooseModelFile: async () => undefined,
    emit: (event, payload) => void events.push({ event, payload }),
    imageUrl: (kind, id, version) => `deblur-photo://${kind}/${id}${version ? `?v=${version}` : ''}`,
  };
  const cacheDir = join(tmpdir(), `deblur-studio-test-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const studio = new Studio(host, {
    registry: { shipped: resolve(import.meta.dirname, '..', 'fixtures'), user: '/nonexistent' },
    cacheDir,
    threads: 1,
  });
  afterAll(async () => {
    await studio.close();
    await rm(cacheDir, { recursive: true, force: true });
  });
  const dispatch = createDispatch(studio, senderCheck(APP.url));
  const call = (channel: string, payload?: unknown) => dispatch(channel, payload, APP);
  return {
    studio,
    cacheDir,
    call,
    saveAnswers,
    suggested,
    folderAnswers,
    events,
    open: async (path) => ok<OpenResult>(await call(CHANNELS.addPaths, [path])).photos[0]!,
  };
}

export function ok<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** A mask at the photo's size from a function of the pixel position. */
export function maskOf(width: number, height: number, value: (x: number, y: number) => number) {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { width, height, data };
}

/** 8-bit RGB samples of an encoded image, in its own colour space. */
export async function rgb8(data: Buffer | string): Promise<{ width: number; height: number; data: Buffer }> {
  const { data: raw, info } = await sharp(data).keepIccProfile().removeAlpha().raw().toBuffer({
    resolveWithObject: true,
  });
  return { width: info.width, height: info.height, data: raw };
}
