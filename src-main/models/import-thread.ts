// Runs the checkpoint importer on a worker thread (import-worker.ts) so the app's main thread keeps serving the
// window while a large .pth is validated and written. Errors come back with their name: CheckpointError stays one.
import { Worker } from 'node:worker_threads';
import { CheckpointError } from './checkpoint';
import type { ImportResult } from './import';

type Reply = { ok: true; value: ImportResult } | { ok: false; name: string; message: string };

export function importInWorker(
  file: string,
  modelsDir: string,
  workerUrl: URL = new URL('./import-worker-entry.mjs', import.meta.url),
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: { file, modelsDir } });
    let settled = false;
    worker.once('message', (reply: Reply) => {
      settled = true;
      if (reply.ok) resolve(reply.value);
      else if (reply.name === 'CheckpointError') reject(new CheckpointError(reply.message));
      else reject(new Error(reply.message));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the import worker stopped (exit code ${code})`));
    });
  });
}
