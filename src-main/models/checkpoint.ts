// A PyTorch checkpoint as a state dict of lazily read tensors, checked against a template's layout.
import { readPickle, type DType, type PyValue, type TensorRef } from './pickle';
import { CheckpointError, ZipFile } from './torch-zip';

export { CheckpointError } from './torch-zip';

const ITEM_SIZE: Record<DType, number> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

export interface Checkpoint {
  path: string;
  /** State-dict keys (without `module.`) to tensors. */
  tensors: Map<string, TensorRef>;
  /** Top-level entries other than the state dict (e.g. optimizer, epoch): ignored. */
  ignored: string[];
  /** C-ordered little-endian bytes of a tensor (read from the zip on demand). */
  bytes(tensor: TensorRef): Buffer;
  close(): void;
}

/** Opens `path` (a torch.save zip), reads its pickle safely and finds the state dict. */
export function openCheckpoint(path: string): Checkpoint {
  let zip: ZipFile;
  try {
    zip = new ZipFile(path);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(`${path}: cannot read the file (${(error as Error).message})`, { cause: error });
  }
  try {
    const pkl = [...zip.entries.keys()].find((name) => /^[^/]+\/data\.pkl$/.test(name));
    if (!pkl) {
      throw new CheckpointError(`${path}: not a PyTorch checkpoint (the zip holds no <archive>/data.pkl)`);
    }
    const prefix = pkl.slice(0, -'data.pkl'.length);
    if (zip.entries.has(`${prefix}byteorder`)) {
      const order = zip.read(`${prefix}byteorder`).toString('ascii').trim();
      if (order !== 'little') throw new CheckpointError(`${path}: ${order}-endian checkpoints are not supported`);
    }
    const top = readPickle(zip.read(pkl), `${path}: data.pkl`);
    const { state, ignored } = findStateDict(top, path);
    const tensors = new Map<string, TensorRef>();
    for (const [rawKey, value] of state) {
      if (typeof rawKey !== 'string') throw new CheckpointError(`${path}: the state dict has a non-string key`);
      const key = rawKey.startsWith('module.') ? rawKey.slice('module.'.length) : rawKey;
      if (!(typeof value === 'object' && value && 'kind' in value && value.kind === 'tensor')) {
        throw new CheckpointError(`${path}: state-dict entry ${rawKey} is not a tensor`);
      }
      tensors.set(key, value);
    }
    const storageRanges = new Map<string, { offset: number; length: number }>();
    return {
      path,
      tensors,
      ignored,
      close: () => zip.close(),
      bytes(tensor) {
        const { storage } = tensor;
        const item = ITEM_SIZE[storage.dtype];
        const name = `${prefix}data/${storage.key}`;
        let range = storageRanges.get(name);
        if (!range) {
          const r = zip.dataRange(name);
          if (r.method !== 0) throw new CheckpointError(`${path}: storage ${storage.key} is compressed`);
          if (r.length < storage.numel * item) {
            throw new CheckpointError(`${path}: storage ${storage.key} is shorter than its ${storage.numel} elements`);
          }
          range = r;
          storageRanges.set(name, range);
        }
        const numel = tensor.shape.reduce((a, b) => a * b, 1);
        if (numel === 0) return Buffer.alloc(0);
        const extent = tensor.offset + tensor.shape.reduce((a, n, i) => a + (n - 1) * tensor.stride[i]!, 0) + 1;
        if (extent > storage.numel) {
          throw new CheckpointError(`${path}: a tensor reaches beyond its storage ${storage.key}`);
        }
        if (isContiguous(tensor.shape, tensor.stride)) {
          return zip.readAt(range.offset + tensor.offset * item, numel * item);
        }
        // A strided view: read the span it covers and gather in C order.
        const span = zip.readAt(range.offset + tensor.offset * item, (extent - tensor.offset) * item);
        const out = Buffer.alloc(numel * item);
        const index = new Array<number>(tensor.shape.length).fill(0);
        for (let i = 0; i < numel; i++) {
          let source = 0;
          for (let d = 0; d < index.length; d++) source += index[d]! * tensor.stride[d]!;
          span.copy(out, i * item, source * item, source * item + item);
          for (let d = index.length - 1; d >= 0; d--) {
            if (++index[d]! < tensor.shape[d]!) break;
            index[d] = 0;
          }
        }
        return out;
      },
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}

function isContiguous(shape: number[], stride: number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d]! !== 1 && stride[d]! !== expected) return false;
    expected *= shape[d]!;
  }
  return true;
}

function isStateDict(value: PyValue): value is Map<unknown, PyValue> {
  if (!(value instanceof Map) || value.size === 0) return false;
  for (const v of value.values()) {
    if (!(typeof v === 'object' && v && 'kind' in v && v.kind === 'tensor')) return false;
  }
  return true;
}

/** `{"state_dict": sd, ...}`, `{"model": sd, ...}` or a bare state dict. */
function findStateDict(top: PyValue, path: string): { state: Map<unknown, PyValue>; ignored: string[] } {
  if (top instanceof Map) {
    for (const name of ['state_dict', 'model']) {
      const inner = top.get(name);
      if (inner instanceof Map) {
        return { state: inner, ignored: [...top.keys()].filter((k) => k !== name).map(String) };
      }
    }
    if (isStateDict(top)) return { state: top, ignored: [] };
  }
  throw new CheckpointError(
    `${path}: holds no state dict (expected a dict of tensors, or {"state_dict": ...})`,
  );
}

export interface TemplateTensor {
  key: string;
  shape: number[];
  dtype: 'float32' | 'int64';
  offset: number;
  length: number;
}

/**
 * Every key and shape against the template's layout. Throws one CheckpointError naming what is missing,
 * unexpected and wrong-shaped (the first few of each, with counts).
 */
export function checkLayout(checkpoint: Checkpoint, expected: TemplateTensor[], config: string): void {
  const wanted = new Map(expected.map((t) => [t.key, t]));
  const missing = expected.filter((t) => !checkpoint.tensors.has(t.key)).map((t) => t.key);
  const unexpected = [...checkpoint.tensors.keys()].filter((k) => !wanted.has(k));
  const wrong: string[] = [];
  for (const [key, tensor] of checkpoint.tensors) {
    const t = wanted.get(key);
    if (!t) continue;
    if (tensor.shape.join(',') !== t.shape.join(',')) {
      wrong.push(`${key} has shape (${tensor.shape.join(', ')}), expected (${t.shape.join(', ')})`);
    } else if (tensor.storage.dtype !== t.dtype) {
      wrong.push(`${key} is ${tensor.storage.dtype}, expected ${t.dtype}`);
    }
  }
  const parts: string[] = [];
  const list = (label: string, items: string[]) => {
    if (items.length === 0) return;
    const shown = items.slice(0, 5).join('; ');
    parts.push(`${items.length} ${label}: ${shown}${items.length > 5 ? `; and ${items.length - 5} more` : ''}`);
  };
  list('missing', missing);
  list('unexpected', unexpected);
  list('wrong', wrong);
  if (parts.length) {
    throw new CheckpointError(
      `${checkpoint.path}: does not match the ${config} configuration (${expected.length} tensors): ${parts.join(' | ')}`,
    );
  }
}
