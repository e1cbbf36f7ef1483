// Entry of the import worker thread when running from source (tests, the CLI): registers tsx in the worker before
// importing import-worker.ts. The bundled app points at its own built import-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
