// Public surface of studio/: the app's main-process services behind the contract (no electron).
export { ApiFailure } from './errors';
export {
  IMAGE_KINDS,
  parseImageAddress,
  type ImageAddress,
  type ImageKind,
  type StudioHost,
  type TileIndex,
} from './host';
export { Studio, type StudioOptions } from './studio';
