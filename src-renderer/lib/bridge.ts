// The renderer's only way to main: `window.deblur` (the preload's verbs, or the e2e bridge's), with each typed
// Result turned into a value or a thrown ApiFailure so state classes can use try/catch.
import type { ApiError, DeblurApi, ErrorCode, Result } from '../../src-main/contract';

declare global {
  interface Window {
    deblur: DeblurApi;
  }
}

export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  readonly code: ErrorCode;
  constructor(error: ApiError) {
    super(error.message);
    this.code = error.code;
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new ApiFailure(result.error);
  return result.value;
}

export function bridge(): DeblurApi {
  if (!window.deblur) throw new Error('window.deblur is missing: the preload did not run');
  return window.deblur;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
