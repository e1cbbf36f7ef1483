// A weightless graph template (training/export_template.py): model.onnx whose state-dict initializers are
// external data in weights.bin, and template.json with the full state-dict layout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TEMPLATES_ROOT } from './paths';

const tensorSchema = z.object({
  key: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int64']),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
});

const templateSchema = z.object({
  format: z.literal(1),
  config: z.string().min(1),
  weightsFile: z.string().regex(/^[\w.-]+$/),
  weightsBytes: z.number().int().positive(),
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/),
  nodes: z.number().int(),
  graphKeys: z.array(z.string()),
  tensors: z.array(tensorSchema).min(1),
  relativePositionIndex: z.array(z.number().int().nonnegative()),
  manifest: z.looseObject({}),
});

export type Template = z.infer<typeof templateSchema> & { dir: string; modelPath: string };

export const OFFICIAL_TEMPLATE = 'lmdvit-official';

export function loadTemplate(name = OFFICIAL_TEMPLATE, root = TEMPLATES_ROOT): Template {
  const dir = join(root, name);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8'));
  } catch (error) {
    throw new Error(`model template ${name} is missing or unreadable in ${root} (npm run export:template)`, {
      cause: error,
    });
  }
  const parsed = templateSchema.parse(json);
  return { ...parsed, dir, modelPath: join(dir, 'model.onnx') };
}
