// Main-thread side of the inference worker: restore() returns a promise, progress and cancel travel as
// messages, so the event loop stays free while tiles run.
import { Worker } from 'node:worker_threads';
import { CancelledError, type Progress, type RestoreResult } from './pipeline';
import { transferables, type RestoreJob, type WorkerReply, type WorkerRequest } from './protocol';

export interface JobOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: Progress) => void) | undefined;
}

interface Pending {
  resolve: (result: RestoreResult) => void;
  reject: (error: Error) => void;
  onProgress: JobOptions['onProgress'];
}

export class InferenceEngine {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `workerUrl`: the worker's entry; a bundled app passes its compiled worker (default: worker-entry.mjs). */
  constructor(private readonly workerUrl: URL = new URL('./worker-entry.mjs', import.meta.url)) {}

  /** Runs one restore job in the worker. The input pixels and guide are moved there when they can be. */
  restore(job: RestoreJob, options: JobOptions = {}): Promise<RestoreResult> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const worker = this.start();
    worker.ref();
    const id = this.nextId++;
    return new Promise<RestoreResult>((resolve, reject) => {
      const onAbort = () => this.post({ type: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (result) => (done(), resolve(result)),
        reject: (error) => (done(), reject(error)),
        onProgress: options.onProgress,
      });
      const request: WorkerRequest = { type: 'restore', id, job };
      worker.postMessage(request, transferables(job.input.pixels.data, job.input.guide));
    });
  }

  /** Forgets a model folder that was removed or replaced: its next job loads and verifies it afresh. */
  release(modelDir: string): void {
    this.post({ type: 'release', modelDir });
  }

  /** Stops the worker (and its sessions); a later restore() starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private post(request: WorkerRequest): void {
    this.worker?.postMessage(request);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerUrl);
    worker.on('message', (reply: WorkerReply) => this.receive(reply));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error(`the inference worker stopped (exit code ${code})`));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private receive(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if (reply.type === 'progress') {
      pending.onProgress?.(reply.progress);
      return;
    }
    this.pending.delete(reply.id);
    this.refresh();
    if (reply.type === 'result') pending.resolve(reply.result);
    else pending.reject(reply.name === 'CancelledError' ? new CancelledError() : namedError(reply));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  /** Keep the process alive only while jobs run. */
  private refresh(): void {
    if (this.pending.size === 0) this.worker?.unref();
  }
}

function namedError(reply: { name: string; message: string }): Error {
  const error = new Error(reply.message);
  error.name = reply.name;
  return error;
}
