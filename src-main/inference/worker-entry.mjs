// Entry of the inference worker thread. Worker threads do not inherit the parent's TypeScript loader, so this
// plain-JS file registers tsx in the worker before importing worker.ts (a bundled build points at its own JS).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
