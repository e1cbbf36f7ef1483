// The mask's three values (docs/model-contract.md: >= 192 force, <= 63 protect, anything between auto). The editor
// only ever writes these three; a loaded sidecar is snapped to them.
export const FORCE = 255;
export const PROTECT = 0;
export const AUTO = 128;

export const MASK_TOOLS = ['force', 'protect', 'auto'] as const;
export type MaskTool = (typeof MASK_TOOLS)[number];

export function valueOf(tool: MaskTool): number {
  return tool === 'force' ? FORCE : tool === 'protect' ? PROTECT : AUTO;
}

/** Any 8-bit value read as the contract reads it, written as the editor writes it. */
export function snap(value: number): number {
  return value >= 192 ? FORCE : value <= 63 ? PROTECT : AUTO;
}

const SNAP = Uint8Array.from({ length: 256 }, (_, v) => snap(v));

/** Every value snapped (a new array). */
export function snapAll(values: Uint8Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = SNAP[values[i]!]!;
  return out;
}
