// The inference worker thread: loads models, keeps their sessions, runs restore jobs, reports progress per
// tile and stops between tiles when cancelled. Started through worker-entry.mjs.
import { parentPort } from 'node:worker_threads';
import { loadModelDir, type ModelDir } from './manifest';
import { restore } from './pipeline';
import { transferables, type RestoreJob, type WorkerReply, type WorkerRequest } from './protocol';
import { releaseSessions, releaseSessionsOf } from './session';

const port = parentPort;
if (!port) throw new Error('worker.ts runs inside a worker thread');

const models = new Map<string, Promise<ModelDir>>();
const running = new Map<number, AbortController>();

function model(dir: string): Promise<ModelDir> {
  let entry = models.get(dir);
  if (!entry) {
    entry = loadModelDir(dir);
    entry.catch(() => models.delete(dir));
    models.set(dir, entry);
  }
  return entry;
}

function send(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(reply, transfer);
}

async function run(id: number, job: RestoreJob): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const result = await restore(await model(job.modelDir), job.input, {
      device: job.device,
      threads: job.threads,
      signal: controller.signal,
      onProgress: (progress) => send({ type: 'progress', id, progress }),
    });
    send(
      { type: 'result', id, result },
      transferables(result.pixels.data, result.confidence, result.decisions?.data),
    );
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    send({ type: 'error', id, name, message });
  } finally {
    running.delete(id);
  }
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'restore') void run(request.id, request.job);
  else if (request.type === 'cancel') running.get(request.id)?.abort();
  else if (request.modelDir === undefined) void releaseSessions();
  else {
    models.delete(request.modelDir);
    void releaseSessionsOf(request.modelDir);
  }
});
