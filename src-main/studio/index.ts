// Public surface of studio/: the app's main-process services behind the contract (no electron).
export { ApiFailure } from './errors';
export { IMAGE_KINDS, type ImageKind, type StudioHost } from './host';
export { Studio, type StudioOptions } from './studio';
