import { encodePng } from './png.js';
import { encodeWav } from './wav.js';

/** 32×32 red square with a 2-pixel white border. */
export function redSquarePng(): Buffer {
  const border = (v: number) => v < 2 || v >= 30;
  return encodePng(32, 32, (x, y) => (border(x) || border(y) ? [255, 255, 255, 255] : [255, 0, 0, 255]));
}

/** 0.5 s of a 440 Hz sine at half amplitude, 16 kHz mono. */
export function tone440Wav(): Buffer {
  const sampleRate = 16_000;
  const samples = Int16Array.from({ length: sampleRate / 2 }, (_, i) =>
    Math.round(16_384 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)),
  );
  return encodeWav(samples, sampleRate);
}

/** The files of fixtures/media/, by name; `npm run gen:media` writes them. */
export const MEDIA_FILES: Record<string, () => Buffer> = {
  'red-square.png': redSquarePng,
  'tone-440hz.wav': tone440Wav,
};
