// Public surface of studio/: the app's main-process services behind the contract (no electron).
export { ApiFailure } from './errors';
export type { ImageKind, StudioHost } from './host';
export { Studio, type StudioOptions } from './studio';
