// Public surface of imaging/: photo decode/encode with metadata carry-over, masks, maps, atomic writes.
export { checkWritable, tempStem, writeFileAtomic, type AtomicWriteOptions } from './atomic-write';
export { DEFAULT_PIXEL_LIMIT, decodePhoto, probePhoto, type DecodeOptions } from './decode';
export { decodePreview } from './preview';
export { displayImage, summarizePhoto, thumbnailJpeg, type PhotoSummary } from './display';
export {
  DEFAULT_QUALITY,
  encodePhoto,
  type EncodeOptions,
  type EncodeResult,
  type MetadataChoice,
  type PixelRect,
} from './encode';
export { ImageError, type ImageErrorCode } from './errors';
export { FORMAT_FACTS, assertFitsFormat, formatFromPath, notPhotoReason } from './formats';
export { encodeMapPng, mapToGray, saveMap, type FloatMap } from './maps';
export {
  FORCE_MIN,
  PROTECT_MAX,
  encodeMaskPng,
  guideToMask,
  loadMask,
  maskToGuide,
  saveMask,
  sidecarPath,
  type Mask,
} from './mask';
export { convertDepth, cropSamples } from './pixels';
export { savePhoto } from './save';
export {
  SCREEN_MAX_SIDE,
  TILE_SIZE,
  TileCutter,
  screenImage,
  screenSize,
  tileGrid,
  tileRect,
  type ServedImage,
  type ViewFile,
} from './view';
export { PHOTO_FORMATS, type BitDepth, type DecodedPhoto, type PhotoFormat, type RgbPixels } from './types';
