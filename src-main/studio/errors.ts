// The one error type services throw on purpose; ipc turns it (and known engine errors) into the contract's ApiError.
import type { ErrorCode } from '../contract';

export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
