// The end-to-end tests' stand-in for the Electron shell: serves the built renderer (out/renderer) on localhost,
// injects a `window.deblur` that forwards every verb to the same ipc dispatch Electron uses, streams events, and
// serves images by id like the deblur-photo:// protocol. Dialogs answer from queues the test fills. Bytes
// (masks, confidence maps, decision grids) travel as tagged base64 in the JSON both ways (bytes.js).
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CHANNELS, EVENTS } from '../../../src-main/contract';
import { createDispatch, senderCheck } from '../../../src-main/ipc';
import { Studio, parseImageAddress, type StudioHost, type StudioOptions } from '../../../src-main/studio';
import { bytesReplacer, bytesReviver } from './bytes.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..', 'out', 'renderer');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface Bridge {
  url: string;
  studio: Studio;
  /** Answers for the next open dialogs (one array per dialog) and save dialogs. */
  openAnswers: string[][];
  saveAnswers: (string | undefined)[];
  /** Answers for the next "Add model…" file dialogs (empty: cancelled). */
  modelAnswers: (string | undefined)[];
  close(): Promise<void>;
}

export async function startBridge(options: StudioOptions): Promise<Bridge> {
  const streams = new Set<ServerResponse>();
  const openAnswers: string[][] = [];
  const saveAnswers: (string | undefined)[] = [];
  const modelAnswers: (string | undefined)[] = [];
  const host: StudioHost = {
    chooseOpenPaths: async () => openAnswers.shift() ?? [],
    chooseSavePath: async () => saveAnswers.shift(),
    chooseFolder: async () => undefined,
    chooseModelFile: async () => modelAnswers.shift(),
    emit: (event, payload) => {
      const data = JSON.stringify({ event, payload }, bytesReplacer);
      for (const stream of streams) stream.write(`data: ${data}\n\n`);
    },
    imageUrl: (kind, path, version) => `/deblur-photo/${kind}/${path}${version ? `?v=${version}` : ''}`,
  };
  const studio = new Studio(host, options);
  let origin = '';
  const dispatch = createDispatch(studio, (sender) => senderCheck(origin)(sender));

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname === '/__bridge/invoke' && request.method === 'POST') {
      const { channel, payload } = JSON.parse(await body(request), bytesReviver) as {
        channel: string;
        payload: unknown;
      };
      const sender = { url: request.headers.origin ?? request.headers.referer ?? '', topFrame: true };
      const result = await dispatch(channel, payload, sender);
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(result, bytesReplacer));
      return;
    }
    if (url.pathname === '/__bridge/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (url.pathname === '/__bridge/client.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(await clientScript());
      return;
    }
    const image = /^\/deblur-photo\/([\w-]+)\/(.+)$/.exec(url.pathname);
    if (image) {
      const address = parseImageAddress(image[1]!, image[2]!);
      try {
        if (!address) throw new Error('not an image address');
        const { data, mime } = await studio.image(address.kind, address.id, address.tile);
        response.writeHead(200, { 'content-type': mime, 'cache-control': 'no-store' }).end(data);
      } catch {
        response.writeHead(404).end('not found');
      }
      return;
    }
    await serveStatic(url.pathname, response);
  }

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    studio,
    openAnswers,
    saveAnswers,
    modelAnswers,
    close: async () => {
      for (const stream of streams) stream.end();
      await new Promise((done) => server.close(done));
      await studio.close();
    },
  };
}

/** client.js with the contract's constants and the byte codec (bytes.js, its exports made plain functions). */
export async function clientScript(): Promise<string> {
  const read = (name: string) => readFile(join(import.meta.dirname, name), 'utf8');
  const constants = `const CHANNELS = ${JSON.stringify(CHANNELS)}; const EVENTS = ${JSON.stringify(EVENTS)};\n`;
  const bytes = (await read('bytes.js')).replace(/^export /gm, '');
  return `${constants}${bytes}\n${await read('client.js')}`;
}

async function serveStatic(pathname: string, response: ServerResponse): Promise<void> {
  const file = normalize(join(ROOT, pathname === '/' ? 'index.html' : decodeURIComponent(pathname)));
  if (!file.startsWith(ROOT + sep)) {
    response.writeHead(403).end();
    return;
  }
  let data: Buffer | string;
  try {
    data = await readFile(file);
  } catch {
    response.writeHead(404).end('not found');
    return;
  }
  if (file.endsWith('index.html')) {
    // The bridge's classic script runs before the app's module script (modules are deferred).
    data = data
      .toString('utf8')
      .replace('<script', '<script src="/__bridge/client.js"></script>\n    <script');
  }
  response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(data);
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    request.on('error', fail);
  });
}
