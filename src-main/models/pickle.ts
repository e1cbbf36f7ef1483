// A restricted pickle reader for PyTorch state dicts. It interprets the data opcodes (protocols 2 to 5) and
// knows a fixed set of globals, each implemented here in TypeScript; nothing from the file is ever executed.
// Any other global (os.system, builtins.eval, numpy, argparse.Namespace...) or any opcode that builds
// arbitrary objects (INST, OBJ, NEWOBJ, EXT*) refuses the whole file: a checkpoint is untrusted input.
import { CheckpointError } from './torch-zip';

export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** A storage record `data/<key>` referenced by persistent id; its bytes are read later, on demand. */
export interface StorageRef {
  kind: 'storage';
  key: string;
  dtype: DType;
  numel: number;
}

export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}

/** Python dicts become Maps (keys may be ints or tuples in optimizer state); OrderedDict too. */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | Map<unknown, PyValue>
  | TensorRef
  | StorageRef
  | Global;

interface Global {
  kind: 'global';
  module: string;
  name: string;
}

const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

/** The globals a state dict (and an optimizer's state) needs; everything else is refused. */
export const ALLOWED_GLOBALS = [
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  ...Object.keys(STORAGE_DTYPES).map((name) => `torch.${name}`),
];

const MARK = Symbol('mark');
type StackItem = PyValue | typeof MARK;

/**
 * Interprets `data` (the bytes of data.pkl). Returns the top object. Throws CheckpointError naming the
 * refused global or opcode; a malicious file is refused at its GLOBAL opcode, before anything could be called.
 */
export function readPickle(data: Uint8Array, source = 'data.pkl'): PyValue {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const stack: StackItem[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  let p = 0;

  const fail = (message: string): never => {
    throw new CheckpointError(`${source}: ${message}`);
  };
  const need = (n: number) => {
    if (n < 0) fail('the pickle is damaged (a negative length)'); // BINSTRING's is signed
    if (p + n > data.length) fail('the pickle is truncated');
  };
  const u8 = () => {
    need(1);
    return data[p++]!;
  };
  const u16 = () => {
    need(2);
    const v = view.getUint16(p, true);
    p += 2;
    return v;
  };
  const u32 = () => {
    need(4);
    const v = view.getUint32(p, true);
    p += 4;
    return v;
  };
  const i32 = () => {
    need(4);
    const v = view.getInt32(p, true);
    p += 4;
    return v;
  };
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(p, true);
    p += 8;
    if (v > BigInt(data.length)) fail('the pickle is truncated');
    return Number(v);
  };
  const bytes = (n: number) => {
    need(n);
    const v = data.subarray(p, p + n);
    p += n;
    return v;
  };
  const text = (n: number) => Buffer.from(bytes(n)).toString('utf8');
  const line = () => {
    const end = data.indexOf(0x0a, p);
    if (end < 0) fail('the pickle is truncated');
    const v = Buffer.from(data.subarray(p, end)).toString('utf8');
    p = end + 1;
    return v;
  };
  const pop = (): PyValue => {
    if (stack.length === 0 || (marks.length && stack.length <= marks[marks.length - 1]!)) fail('stack underflow');
    const v = stack.pop()!;
    if (v === MARK) fail('stack underflow');
    return v as PyValue;
  };
  const top = (): PyValue => {
    if (stack.length === 0) fail('stack underflow');
    return stack[stack.length - 1] as PyValue;
  };
  const popMark = (): PyValue[] => {
    const at = marks.pop();
    if (at === undefined) fail('MARK missing');
    const items = stack.splice(at!) as PyValue[];
    return items;
  };
  const pushMark = () => {
    marks.push(stack.length);
  };
  const global = (module: string, name: string): Global => {
    const full = `${module}.${name}`;
    if (!ALLOWED_GLOBALS.includes(full)) {
      fail(
        `refused: the pickle references ${full}, which is not part of a PyTorch state dict ` +
          '(the file may try to run code; nothing was executed)',
      );
    }
    return { kind: 'global', module, name };
  };
  const setItems = (dict: PyValue, items: PyValue[]) => {
    if (!(dict instanceof Map)) fail('SETITEM on a value that is not a dict');
    if (items.length % 2) fail('odd SETITEMS');
    for (let i = 0; i < items.length; i += 2) (dict as Map<unknown, PyValue>).set(dictKey(items[i]!), items[i + 1]!);
  };

  for (;;) {
    const at = p;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('unsupported pickle protocol');
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        pushMark();
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(Object.freeze([] as PyValue[]) as PyValue[]);
        break;
      case 0x74: // TUPLE
        stack.push(Object.freeze(popMark()) as PyValue[]);
        break;
      case 0x85: // TUPLE1
        stack.push(Object.freeze([pop()]) as PyValue[]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(Object.freeze([pop(), b]) as PyValue[]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(Object.freeze([pop(), b, c]) as PyValue[]);
        break;
      }
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x64: {
        // DICT
        const d = new Map<unknown, PyValue>();
        setItems(d, popMark());
        stack.push(d);
        break;
      }
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x8a: {
        // LONG1
        const n = u8();
        const b = bytes(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
        if (n > 0 && b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: {
        // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(p, false));
        p += 8;
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(Buffer.from(bytes(u8())).toString('latin1'));
        break;
      case 0x54: // BINSTRING
        stack.push(Buffer.from(bytes(i32())).toString('latin1'));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(bytes(u8()));
        break;
      case 0x42: // BINBYTES
        stack.push(bytes(u32()));
        break;
      case 0x8e: // BINBYTES8
        stack.push(bytes(u64()));
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const index = op === 0x68 ? u8() : u32();
        if (!memo.has(index)) fail(`memo entry ${index} missing`);
        stack.push(memo.get(index)!);
        break;
      }
      case 0x30: // POP
        if (stack.length && stack[stack.length - 1] === MARK) stack.pop();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        const list = top();
        if (!Array.isArray(list) || Object.isFrozen(list)) fail('APPEND on a value that is not a list');
        (list as PyValue[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list) || Object.isFrozen(list)) fail('APPENDS on a value that is not a list');
        (list as PyValue[]).push(...items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x51: {
        // BINPERSID
        stack.push(persistent(pop(), fail));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        stack.push(reduce(callable, args, fail));
        break;
      }
      case 0x62: {
        // BUILD: only an OrderedDict's attribute dict (torch's `_metadata`), which is ignored.
        const state = pop();
        const target = top();
        if (!(target instanceof Map) || !(state instanceof Map || state === null)) {
          fail('refused: BUILD on an object that is not a dict');
        }
        break;
      }
      default:
        fail(`refused: unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at}`);
    }
  }
}

function dictKey(key: PyValue): unknown {
  // Tuples as keys are rare (not in state dicts); they are keyed by their JSON text.
  if (Array.isArray(key)) return JSON.stringify(key, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  return key;
}

function isGlobal(value: PyValue, full: string): value is Global {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    value.kind === 'global' &&
    `${value.module}.${value.name}` === full
  );
}

function persistent(pid: PyValue, fail: (message: string) => never): StorageRef {
  // ('storage', torch.FloatStorage, '<key>', '<location>', numel)
  if (!Array.isArray(pid) || pid.length !== 5 || pid[0] !== 'storage') fail('unsupported persistent id');
  const [, type, key, , numel] = pid as PyValue[];
  const typeName = typeof type === 'object' && type && 'kind' in type && type.kind === 'global' ? type.name : '';
  const dtype = STORAGE_DTYPES[typeName];
  if (!dtype || typeof key !== 'string' || !/^\w+$/.test(key) || typeof numel !== 'number' || numel < 0) {
    fail('unsupported storage reference');
  }
  return { kind: 'storage', key: key as string, dtype: dtype!, numel: numel as number };
}

function reduce(callable: PyValue, args: PyValue, fail: (message: string) => never): PyValue {
  if (!Array.isArray(args)) fail('REDUCE arguments are not a tuple');
  const a = args as PyValue[];
  if (isGlobal(callable, 'collections.OrderedDict')) {
    if (a.length !== 0) fail('OrderedDict with arguments');
    return new Map();
  }
  if (isGlobal(callable, 'torch._utils._rebuild_tensor_v2')) {
    const [storage, offset, shape, stride] = a;
    const ints = (v: PyValue) => Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0);
    if (
      !(typeof storage === 'object' && storage && 'kind' in storage && storage.kind === 'storage') ||
      typeof offset !== 'number' ||
      !Number.isInteger(offset) ||
      offset < 0 ||
      !ints(shape!) ||
      !ints(stride!) ||
      (shape as number[]).length !== (stride as number[]).length
    ) {
      fail('malformed tensor record');
    }
    return {
      kind: 'tensor',
      storage: storage as StorageRef,
      offset: offset as number,
      shape: [...(shape as number[])],
      stride: [...(stride as number[])],
    };
  }
  if (
    isGlobal(callable, 'torch._utils._rebuild_parameter') ||
    isGlobal(callable, 'torch._utils._rebuild_parameter_with_state')
  ) {
    const data = a[0];
    if (!(typeof data === 'object' && data && 'kind' in data && data.kind === 'tensor')) fail('malformed parameter');
    return data!;
  }
  return fail('refused: REDUCE on a value that is not an allowed global');
}
