// Before/after: a split position across the frame (0 = all after, 1 = all before), split on or off, and a key held
// to see the original.
export class CompareState {
  split = $state(0.5);
  enabled = $state(true);
  holdingOriginal = $state(false);

  toggle(): void {
    this.enabled = !this.enabled;
  }

  setSplit(value: number): void {
    this.split = Math.min(1, Math.max(0, value));
  }

  /**
   * How much of the result to hide from the photo's left edge, in photo pixels, for a frame `frameWidth` wide
   * under the view transform (scale, x): the before image shows left of the split line, the result right of it.
   */
  clipLeft(frameWidth: number, scale: number, x: number, imageWidth: number): number {
    if (this.holdingOriginal) return imageWidth;
    if (!this.enabled) return 0;
    const photoX = (this.split * frameWidth - x) / scale;
    return Math.min(imageWidth, Math.max(0, photoX));
  }
}
