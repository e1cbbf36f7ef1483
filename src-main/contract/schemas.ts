// Request schemas, one per invoke channel: main parses every payload with these before a service sees it.
import { z } from 'zod';
import {
  BATCH_ACTIONS,
  BATCH_FOLDERS,
  CHANNELS,
  DEVICE_CHOICES,
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

export const restoreRequestSchema = z.strictObject({
  jobId: id,
  photoId: id,
  modelId: z
    .string()
    .regex(/^[\w.-]+$/)
    .max(128)
    .optional(),
  threshold: z.number().min(0).max(1).optional(),
  strength: z.number().min(0).max(1).optional(),
  device: z.enum(DEVICE_CHOICES).optional(),
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
  [CHANNELS.saveAs]: z.strictObject({ photoId: id }),
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
  }),
  [CHANNELS.controlBatch]: z.strictObject({ jobId: id, action: z.enum(BATCH_ACTIONS) }),
} as const satisfies Record<Channel, z.ZodType>;

export type RequestOf<C extends Channel> = z.infer<(typeof REQUEST_SCHEMAS)[C]>;
