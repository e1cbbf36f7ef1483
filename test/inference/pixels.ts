// Generated test pixels (plain functions, usable outside Vitest too).

/** Deterministic textured 8-bit RGB pixels (a smooth gradient plus a fine pattern). */
export function texture8(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / Math.max(1, width - 1);
      data[i + 1] = (y * 255) / Math.max(1, height - 1);
      data[i + 2] = 128 + 100 * Math.sin(x * 0.3) * Math.cos(y * 0.2);
    }
  }
  return data;
}
