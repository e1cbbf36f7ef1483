// Messages between the main thread and the inference worker. Plain data; pixel buffers are transferred.
import type { Progress, RestoreInput, RestoreResult } from './pipeline';
import type { Device } from './providers';

export interface RestoreJob {
  modelDir: string;
  device?: Device | undefined;
  threads?: number | undefined;
  input: RestoreInput;
}

export type WorkerRequest =
  | { type: 'restore'; id: number; job: RestoreJob }
  | { type: 'cancel'; id: number }
  /** Forget a model folder (or every one): the next job loads and verifies it again. */
  | { type: 'release'; modelDir?: string | undefined };

export type WorkerReply =
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'result'; id: number; result: RestoreResult }
  | { type: 'error'; id: number; name: string; message: string };

/** The buffers of a result (or input) that can be moved instead of copied. */
export function transferables(...arrays: (ArrayBufferView | undefined)[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const array of arrays) {
    const buffer = array?.buffer;
    // Only whole, unshared buffers: a view into a pooled buffer is copied by structured clone instead.
    if (buffer instanceof ArrayBuffer && array!.byteOffset === 0 && array!.byteLength === buffer.byteLength) {
      seen.add(buffer);
    }
  }
  return [...seen];
}
