// A minimal reader for PyTorch's zip checkpoints (torch.save since 1.6): `<archive>/data.pkl`,
// `<archive>/data/<key>` storages, `<archive>/byteorder`, `<archive>/version`. torch writes every record
// stored (uncompressed), 64-byte aligned; deflated records are accepted too. The file is untrusted: every
// offset and length is bounds-checked, and entries are read on demand through positional reads.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** A state dict's pickle is kilobytes to a few megabytes; past this a record is damaged or a zip bomb. */
const MAX_WHOLE_RECORD = 64 << 20;

export class ZipFile {
  private readonly fd: number;
  readonly size: number;
  readonly entries = new Map<string, Entry>();

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    try {
      this.size = fstatSync(this.fd).size;
      this.readDirectory();
    } catch (error) {
      closeSync(this.fd);
      throw error;
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Bytes [position, position + length) of the file; throws if the file is shorter. */
  readAt(position: number, length: number): Buffer {
    if (position < 0 || length < 0 || position + length > this.size) {
      throw new CheckpointError(`${this.path}: the file is truncated (a record lies beyond its end)`);
    }
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buffer, done, length - done, position + done);
      if (n === 0) throw new CheckpointError(`${this.path}: the file is truncated`);
      done += n;
    }
    return buffer;
  }

  /** Where a stored entry's bytes start in the file, and how many there are. */
  dataRange(name: string): { offset: number; length: number; method: number } {
    const entry = this.entries.get(name);
    if (!entry) throw new CheckpointError(`${this.path}: record ${name} is missing`);
    const header = this.readAt(entry.localOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL) {
      throw new CheckpointError(`${this.path}: damaged zip (bad local header for ${name})`);
    }
    const offset = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (offset + entry.compressedSize > this.size) {
      throw new CheckpointError(`${this.path}: the file is truncated (record ${name} is cut short)`);
    }
    return { offset, length: entry.compressedSize, method: entry.method };
  }

  /** A whole entry, inflated if needed: only small records (the pickle, byteorder); tensors are read by range. */
  read(name: string): Buffer {
    const entry = this.entries.get(name);
    if (entry && entry.size > MAX_WHOLE_RECORD) {
      throw new CheckpointError(
        `${this.path}: record ${name} would be ${entry.size} bytes, more than a checkpoint's ever is`,
      );
    }
    const range = this.dataRange(name);
    const raw = this.readAt(range.offset, range.length);
    if (range.method === 0) return raw;
    if (range.method === 8) {
      const entry = this.entries.get(name)!;
      const out = inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) });
      if (out.length !== entry.size) throw new CheckpointError(`${this.path}: damaged record ${name}`);
      return out;
    }
    throw new CheckpointError(`${this.path}: record ${name} uses unsupported zip compression ${range.method}`);
  }

  private readDirectory(): void {
    const tailLength = Math.min(this.size, 22 + 0xffff);
    if (tailLength < 22) throw this.notZip();
    const tail = this.readAt(this.size - tailLength, tailLength);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw this.notZip();
    let count = tail.readUInt16LE(at + 10);
    let dirSize = tail.readUInt32LE(at + 12);
    let dirOffset = tail.readUInt32LE(at + 16);
    const eocdPosition = this.size - tailLength + at;
    if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
      if (eocdPosition < 20) throw this.notZip();
      const locator = this.readAt(eocdPosition - 20, 20);
      if (locator.readUInt32LE(0) !== EOCD64_LOCATOR) throw this.notZip();
      const eocd64 = this.readAt(safe(locator.readBigUInt64LE(8)), 56);
      if (eocd64.readUInt32LE(0) !== EOCD64) throw this.notZip();
      count = safe(eocd64.readBigUInt64LE(32));
      dirSize = safe(eocd64.readBigUInt64LE(40));
      dirOffset = safe(eocd64.readBigUInt64LE(48));
    }
    const dir = this.readAt(dirOffset, dirSize);
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) {
        throw new CheckpointError(`${this.path}: damaged zip central directory`);
      }
      const method = dir.readUInt16LE(p + 10);
      let compressedSize = dir.readUInt32LE(p + 20);
      let size = dir.readUInt32LE(p + 24);
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      let localOffset = dir.readUInt32LE(p + 42);
      if (p + 46 + nameLength + extraLength > dir.length) {
        throw new CheckpointError(`${this.path}: damaged zip central directory`);
      }
      const name = dir.toString('utf8', p + 46, p + 46 + nameLength);
      // ZIP64 extended information: the 0xffffffff fields, in order.
      let e = p + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = dir.readUInt16LE(e);
        const length = dir.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          const next = () => {
            if (q + 8 > e + 4 + length) throw new CheckpointError(`${this.path}: damaged zip64 field`);
            const v = safe(dir.readBigUInt64LE(q));
            q += 8;
            return v;
          };
          if (size === 0xffffffff) size = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localOffset === 0xffffffff) localOffset = next();
        }
        e += 4 + length;
      }
      this.entries.set(name, { name, method, compressedSize, size, localOffset });
      p += 46 + nameLength + extraLength + commentLength;
    }
  }

  private notZip(): CheckpointError {
    return new CheckpointError(
      `${this.path}: not a PyTorch zip checkpoint, or the file is truncated (no zip directory at its end)`,
    );
  }
}

function safe(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError('zip offset out of range');
  return Number(value);
}
