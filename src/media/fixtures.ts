import { encodeFlatJpeg } from './jpeg.js';
import { silentMp3 } from './mp3.js';
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

/** 32×32 baseline JPEG, all blue (#0000ff). */
export function blueSquareJpeg(): Buffer {
  return encodeFlatJpeg(32, 32, [0, 0, 255, 255]);
}

/** 20 frames (522 ms) of MPEG-1 Layer III silence, 128 kbit/s, 44.1 kHz, mono. */
export function silenceMp3(): Buffer {
  return silentMp3(20);
}

/**
 * About 70,000 characters of plain words (12,000 of them, cycling through a pangram): more than
 * the 8192-token context of OpenAI's embedding models, for the context-length error case.
 */
export function longText(): Buffer {
  const words = 'the quick brown fox jumps over the lazy dog while five boxing wizards jump quickly'.split(' ');
  const text = Array.from({ length: 12_000 }, (_, i) => `${words[i % words.length]}${i % 12 === 11 ? '.' : ''}`).join(' ');
  return Buffer.from(text + '\n', 'utf8');
}

/** The files of fixtures/media/, by name; `npm run gen:media` writes them. */
export const MEDIA_FILES: Record<string, () => Buffer> = {
  'red-square.png': redSquarePng,
  'tone-440hz.wav': tone440Wav,
  'blue-square.jpg': blueSquareJpeg,
  'silence.mp3': silenceMp3,
  'long-text.txt': longText,
};
