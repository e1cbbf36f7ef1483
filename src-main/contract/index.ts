// The contract's public surface. The renderer imports only types from here (`import type`).
export * from './api';
export { REQUEST_SCHEMAS, restoreRequestSchema, type RequestOf } from './schemas';
