// The fixed geometry of computer use. The page is laid out at 1280x800 CSS pixels (a common laptop
// viewport, so pages take their desktop layout) and every screenshot is downscaled to 1024x640 by the
// browser itself (CDP Page.captureScreenshot with clip.scale 0.8): one size the model always sees, about
// 1/3 fewer image tokens than full size. The model points in screenshot pixels; we act in CSS pixels.
export const VIEWPORT = { width: 1280, height: 800 } as const;
export const SCREENSHOT_SCALE = 0.8;
export const SCREENSHOT = { width: Math.round(VIEWPORT.width * SCREENSHOT_SCALE), height: Math.round(VIEWPORT.height * SCREENSHOT_SCALE) } as const;

/** A point of the screenshot as CSS pixels of the viewport, clamped inside it. */
export function toCssPoint(x: number, y: number): { x: number; y: number } {
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max - 1);
  return { x: clamp(x / SCREENSHOT_SCALE, VIEWPORT.width), y: clamp(y / SCREENSHOT_SCALE, VIEWPORT.height) };
}

/** A scroll distance in screenshot pixels as CSS pixels. */
export const toCssDelta = (d: number): number => d / SCREENSHOT_SCALE;

/** Width and height of a PNG, from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
