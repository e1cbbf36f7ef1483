// One typed error for everything imaging can refuse; `code` says why, the message names the file.

export type ImageErrorCode =
  | 'not-found'
  | 'denied'
  | 'unsupported'
  | 'corrupt'
  | 'too-large'
  | 'wrong-size'
  | 'protected'
  | 'disk-full'
  | 'encode-failed'
  | 'write-failed';

export class ImageError extends Error {
  override readonly name = 'ImageError';

  constructor(
    readonly code: ImageErrorCode,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Errors of a file we may not open. */
const DENIED = new Set(['EACCES', 'EPERM']);

/** The ImageError of a file we may not read (the errno of opening it); undefined for any other error. */
export function deniedError(path: string, error: unknown): ImageError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !DENIED.has(code)) return undefined;
  return new ImageError('denied', path, `${path}: permission denied: it cannot be read (${code})`, {
    cause: error,
  });
}

/** Maps an error thrown by sharp (or by opening the file) while reading `path` to an ImageError. */
export function readError(path: string, error: unknown): ImageError {
  if (error instanceof ImageError) return error;
  const denied = deniedError(path, error);
  if (denied) return denied;
  const detail = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(detail)) {
    return new ImageError('unsupported', path, `${path}: not an image format Deblur Studio can read`, {
      cause: error,
    });
  }
  if (/pixel limit/i.test(detail)) {
    return new ImageError('too-large', path, `${path}: image has more pixels than the limit`, {
      cause: error,
    });
  }
  if (/input file is missing|ENOENT|no such file/i.test(detail)) {
    return new ImageError('not-found', path, `${path}: file not found`, { cause: error });
  }
  return new ImageError('corrupt', path, `${path}: the image is damaged or truncated (${detail})`, {
    cause: error,
  });
}

/** Maps an error thrown by sharp while encoding the output for `path` as `format` to an ImageError. */
export function encodeError(path: string, format: string, error: unknown): ImageError {
  if (error instanceof ImageError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (/no space left on device|ENOSPC/i.test(detail)) {
    return new ImageError('disk-full', path, `${path}: no space left on the disk (or the temporary folder)`, {
      cause: error,
    });
  }
  const code = /too large/i.test(detail) ? 'too-large' : 'encode-failed';
  return new ImageError(code, path, `${path}: could not be written as ${format.toUpperCase()} (${detail})`, {
    cause: error,
  });
}
