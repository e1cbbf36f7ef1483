// The one gate between a renderer and the services: check the sender, parse the payload with its channel's
// schema, call the studio, and answer a typed Result. Transport-agnostic: Electron's ipcMain (electron.ts) and
// the end-to-end tests' WebSocket bridge call the same function. No electron import here.
import { ZodError } from 'zod';
import {
  CHANNELS,
  REQUEST_SCHEMAS,
  type ApiError,
  type Channel,
  type RequestOf,
  type Result,
} from '../contract';
import { ImageError } from '../imaging';
import { CancelledError } from '../inference';
import { BatchUsageError } from '../jobs';
import { CheckpointError } from '../models/checkpoint';
import { RegistryError } from '../models/registry';
import { ModelNotFoundError } from '../restore';
import { ApiFailure, type Studio } from '../studio';

/** Who sent a request: the URL of the calling frame and whether it is the window's top frame. */
export interface Sender {
  url: string;
  topFrame: boolean;
}

export type Dispatch = (channel: string, payload: unknown, sender: Sender) => Promise<Result<unknown>>;

type Handlers = { [C in Channel]: (studio: Studio, request: RequestOf<C>) => unknown };

const HANDLERS: Handlers = {
  [CHANNELS.openPhotos]: (studio) => studio.openPhotos(),
  [CHANNELS.addPaths]: (studio, paths) => studio.addPaths(paths),
  [CHANNELS.listPhotos]: (studio) => studio.listPhotos(),
  [CHANNELS.getPhoto]: (studio, id) => studio.getPhoto(id),
  [CHANNELS.closePhoto]: (studio, id) => studio.closePhoto(id),
  [CHANNELS.restore]: (studio, request) => studio.restore(request),
  [CHANNELS.cancel]: (studio, jobId) => studio.cancel(jobId),
  [CHANNELS.detect]: (studio, request) => studio.detect(request),
  [CHANNELS.loadMask]: (studio, photoId) => studio.loadMask(photoId),
  // A JSON transport drops `mask: undefined`, so the schema lets it be absent.
  [CHANNELS.saveMask]: (studio, { photoId, mask }) => studio.saveMask({ photoId, mask }),
  [CHANNELS.exportPhoto]: (studio, request) => studio.exportPhoto(request),
  [CHANNELS.listModels]: (studio) => studio.listModels(),
  [CHANNELS.importModel]: (studio) => studio.importModel(),
  [CHANNELS.setDefaultModel]: (studio, id) => studio.setDefaultModel(id),
  [CHANNELS.removeModel]: (studio, id) => studio.removeModel(id),
  [CHANNELS.modelCard]: (studio, id) => studio.modelCard(id),
  [CHANNELS.chooseBatchFolder]: (studio, kind) => studio.chooseBatchFolder(kind),
  [CHANNELS.startBatch]: (studio, request) => studio.startBatch(request),
  [CHANNELS.controlBatch]: (studio, request) => studio.controlBatch(request.jobId, request.action),
};

const isChannel = (channel: string): channel is Channel => Object.hasOwn(HANDLERS, channel);

/**
 * The app's renderer, and nothing else: the top frame of a page at `rendererUrl` (same origin for http(s),
 * same file for file:).
 */
export function senderCheck(rendererUrl: string): (sender: Sender) => boolean {
  const expected = new URL(rendererUrl);
  return (sender) => {
    if (!sender.topFrame) return false;
    let actual: URL;
    try {
      actual = new URL(sender.url);
    } catch {
      return false;
    }
    if (expected.protocol === 'file:')
      return actual.protocol === 'file:' && actual.pathname === expected.pathname;
    return actual.origin === expected.origin;
  };
}

export function createDispatch(studio: Studio, trusted: (sender: Sender) => boolean): Dispatch {
  return async (channel, payload, sender) => {
    if (!trusted(sender)) return failure({ code: 'forbidden', message: 'request from an unknown page' });
    if (!isChannel(channel))
      return failure({ code: 'invalid-request', message: `unknown channel ${channel}` });
    const parsed = REQUEST_SCHEMAS[channel].safeParse(payload);
    if (!parsed.success) return failure(toApiError(parsed.error));
    try {
      const handler = HANDLERS[channel] as (studio: Studio, request: unknown) => unknown;
      return { ok: true, value: await handler(studio, parsed.data) };
    } catch (error) {
      return failure(toApiError(error));
    }
  };
}

function failure(error: ApiError): Result<never> {
  return { ok: false, error };
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiFailure) return { code: error.code, message: error.message };
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return {
      code: 'invalid-request',
      message: `invalid request${where}: ${issue?.message ?? 'bad payload'}`,
    };
  }
  if (error instanceof CancelledError) return { code: 'cancelled', message: 'cancelled' };
  if (error instanceof ModelNotFoundError || error instanceof RegistryError) {
    return { code: 'not-found', message: error.message };
  }
  if (error instanceof ImageError) {
    return { code: error.code === 'protected' ? 'forbidden' : 'failed', message: error.message };
  }
  if (error instanceof BatchUsageError || error instanceof CheckpointError) {
    return { code: 'invalid-request', message: error.message };
  }
  return { code: 'failed', message: error instanceof Error ? error.message : String(error) };
}
