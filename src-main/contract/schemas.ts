// Request schemas, one per invoke channel: main parses every payload with these before a service sees it.
import { z } from 'zod';
import {
  BATCH_ACTIONS,
  BATCH_FOLDERS,
  CHANNELS,
  DEVICE_CHOICES,
  EXPORT_FORMATS,
  EXPORT_METADATA,
  ON_EXISTING_CHOICES,
  type Channel,
} from './api';

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w-]+$/);

const modelId = z
  .string()
  .regex(/^[\w.-]+$/)
  .max(128);

const side = z.number().int().min(1).max(65_535);

/** Masks travel as raw 8-bit pixels (structured clone keeps the Uint8Array); the size must match the data. */
export const grayImageSchema = z
  .strictObject({ width: side, height: side, data: z.instanceof(Uint8Array) })
  .refine((image) => image.data.length === image.width * image.height, {
    message: 'mask data does not match its width x height',
    path: ['data'],
  });

const regionSchema = z.strictObject({
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  width: side,
  height: side,
});

/** Threshold and strength: 0 to 1. */
const share = z.number().min(0).max(1);

export const restoreRequestSchema = z.strictObject({
  jobId: id,
  photoId: id,
  modelId: modelId.optional(),
  threshold: share.optional(),
  strength: share.optional(),
  device: z.enum(DEVICE_CHOICES).optional(),
  mask: grayImageSchema.optional(),
  region: regionSchema.optional(),
});

export const detectRequestSchema = z.strictObject({
  jobId: id,
  photoId: id,
  modelId: modelId.optional(),
  threshold: share.optional(),
  device: z.enum(DEVICE_CHOICES).optional(),
});

const quality = z.number().int().min(1).max(100);
const bitDepth = z.union([z.literal(8), z.literal(16)]);

export const exportRequestSchema = z.strictObject({
  photoId: id,
  format: z.enum(EXPORT_FORMATS),
  quality: quality.optional(),
  bitDepth: bitDepth.optional(),
  metadata: z.enum(EXPORT_METADATA),
});

/** Absolute paths only, at most 1000 per call (dropped files). */
const paths = z.array(z.string().min(1).max(4096)).max(1000);

export const REQUEST_SCHEMAS = {
  [CHANNELS.openPhotos]: z.undefined(),
  [CHANNELS.addPaths]: paths,
  [CHANNELS.listPhotos]: z.undefined(),
  [CHANNELS.getPhoto]: id,
  [CHANNELS.closePhoto]: id,
  [CHANNELS.restore]: restoreRequestSchema,
  [CHANNELS.cancel]: id,
  [CHANNELS.detect]: detectRequestSchema,
  [CHANNELS.loadMask]: id,
  [CHANNELS.saveMask]: z.strictObject({ photoId: id, mask: grayImageSchema.optional() }),
  [CHANNELS.exportPhoto]: exportRequestSchema,
  [CHANNELS.listModels]: z.undefined(),
  [CHANNELS.importModel]: z.undefined(),
  [CHANNELS.setDefaultModel]: modelId,
  [CHANNELS.removeModel]: modelId,
  [CHANNELS.modelCard]: modelId,
  [CHANNELS.chooseBatchFolder]: z.enum(BATCH_FOLDERS),
  [CHANNELS.startBatch]: z.strictObject({
    jobId: id,
    modelId: modelId.optional(),
    recursive: z.boolean().optional(),
    onExisting: z.enum(ON_EXISTING_CHOICES).optional(),
    device: z.enum(DEVICE_CHOICES).optional(),
    threshold: share.optional(),
    strength: share.optional(),
    format: z.enum(EXPORT_FORMATS).optional(),
    quality: quality.optional(),
    bitDepth: bitDepth.optional(),
  }),
  [CHANNELS.controlBatch]: z.strictObject({ jobId: id, action: z.enum(BATCH_ACTIONS) }),
} as const satisfies Record<Channel, z.ZodType>;

export type RequestOf<C extends Channel> = z.infer<(typeof REQUEST_SCHEMAS)[C]>;
