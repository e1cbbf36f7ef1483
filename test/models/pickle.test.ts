// The restricted pickle reader on hand-written pickles: what a state dict needs works, the rest is refused.
import { describe, expect, it } from 'vitest';
import { readPickle } from '../../src-main/models/pickle';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('restricted pickle reader', () => {
  it('reads an OrderedDict of tensors (protocol 2, as torch.save writes)', () => {
    const pkl = bytes(
      [0x80, 2],
      'ccollections\nOrderedDict\nq\x00)Rq\x01', // OrderedDict()
      'X\x01\x00\x00\x00w', // key "w"
      'ctorch._utils\n_rebuild_tensor_v2\nq\x02(', // callable, MARK
      '(X\x07\x00\x00\x00storageq\x03ctorch\nFloatStorage\nq\x04X\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x06tQ', // pid
      'K\x00K\x02K\x03\x86K\x03K\x01\x86\x89h\x00tR', // offset 0, (2,3), (3,1), False, hooks
      's.', // SETITEM, STOP
    );
    const result = readPickle(pkl) as Map<string, unknown>;
    expect(result.get('w')).toEqual({
      kind: 'tensor',
      storage: { kind: 'storage', key: '0', dtype: 'float32', numel: 6 },
      offset: 0,
      shape: [2, 3],
      stride: [3, 1],
    });
  });

  it('refuses globals outside the allowed set before anything could be called (GLOBAL and STACK_GLOBAL)', () => {
    expect(() => readPickle(bytes([0x80, 2], 'cposix\nsystem\nX\x02\x00\x00\x00ls\x85R.'))).toThrow(
      /refused: the pickle references posix\.system/,
    );
    expect(() =>
      readPickle(bytes([0x80, 4], '\x8c\x08builtins\x8c\x04eval\x93\x8c\x011\x85R.')),
    ).toThrow(/refused: the pickle references builtins\.eval/);
    // An allowed global may not be called with REDUCE unless it is one the reader implements.
    expect(() => readPickle(bytes([0x80, 2], 'ctorch\nFloatStorage\n)R.'))).toThrow(/REDUCE/);
  });

  it('refuses object-building opcodes and broken input', () => {
    expect(() => readPickle(bytes([0x80, 2], '(ios\nsystem\n.'))).toThrow(/unsupported pickle opcode 0x69/);
    expect(() => readPickle(bytes([0x80, 2], '}X\x05\x00\x00\x00ab'))).toThrow(/truncated/);
    expect(() => readPickle(bytes([0x80, 2], 'h\x07.'))).toThrow(/memo entry 7 missing/);
    expect(() => readPickle(bytes([0x80, 2], 'R.'))).toThrow(/stack underflow/);
    // BINSTRING of length -5 would step back onto itself and push forever.
    expect(() => readPickle(bytes([0x80, 2, 0x54, 0xfb, 0xff, 0xff, 0xff, 0x2e]))).toThrow(/negative length/);
  });
});
