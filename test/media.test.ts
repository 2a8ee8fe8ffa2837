import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { MEDIA_FILES } from '../src/media/fixtures.js';
import { encodePng, pngFirstPixel, pngSize, sniffImage } from '../src/media/png.js';
import { encodeWav, parseWav } from '../src/media/wav.js';
import { encodeFlatJpeg, jpegFirstBlockColour, jpegSize } from '../src/media/jpeg.js';
import { parseMp3, silentMp3 } from '../src/media/mp3.js';

describe('png', () => {
  test('encodes a PNG whose size and pixels read back', () => {
    const png = encodePng(5, 3, (x, y) => [x * 50, y * 100, 7, 255]);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(png)).toEqual({ width: 5, height: 3 });
    expect(pngFirstPixel(png)).toEqual([0, 0, 7, 255]);
    const idat = png.indexOf('IDAT');
    const pixels = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect(pixels.length).toBe(3 * (1 + 5 * 4));
    expect([...pixels.subarray(2 * 21 + 1 + 4 * 4, 2 * 21 + 1 + 5 * 4)]).toEqual([200, 200, 7, 255]);
  });

  test('sniffs image formats by magic bytes', () => {
    expect(sniffImage(encodePng(1, 1, () => [0, 0, 0, 0]))).toBe('png');
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImage(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBe('gif');
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'))).toBeNull();
    expect(pngSize(Buffer.from('not a png'))).toBeNull();
  });
});

describe('wav', () => {
  test('parses what it encodes', () => {
    const wav = encodeWav(new Int16Array(2205), 22_050);
    expect(parseWav(wav)).toEqual({ sampleRate: 22_050, channels: 1, bitsPerSample: 16, durationMs: 100 });
  });

  test('rejects bytes that are not a WAV', () => {
    expect(parseWav(Buffer.from('RIFF....AVI LIST'))).toBeNull();
    expect(parseWav(encodeWav(new Int16Array(4), 8000).subarray(0, 20))).toBeNull();
  });
});

describe('jpeg', () => {
  test('encodes a flat JPEG whose size reads back', () => {
    const jpeg = encodeFlatJpeg(16, 8, [0, 255, 0, 255]);
    expect(sniffImage(jpeg)).toBe('jpeg');
    expect(jpegSize(jpeg)).toEqual({ width: 16, height: 8 });
    expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(jpegSize(Buffer.from('not a jpeg'))).toBeNull();
    expect(jpegFirstBlockColour(jpeg)).toEqual([0, 255, 0, 255]);
    expect(jpegFirstBlockColour(encodeFlatJpeg(8, 8, [200, 200, 30, 255]))).toEqual([200, 200, 30, 255]);
    expect(jpegFirstBlockColour(Buffer.from('not a jpeg'))).toBeNull();
  });
});

describe('mp3', () => {
  test('parses the frames it writes', () => {
    expect(parseMp3(silentMp3(3))).toEqual({ sampleRate: 44_100, bitrateKbps: 128, frames: 3, durationMs: 78 });
    expect(parseMp3(Buffer.from('RIFF....WAVE'))).toBeNull();
  });
});

describe('committed media fixtures', () => {
  test.for(Object.keys(MEDIA_FILES))('fixtures/media/%s is what `npm run gen:media` writes', (name) => {
    const committed = readFileSync(new URL(`../fixtures/media/${name}`, import.meta.url));
    expect(committed.equals(MEDIA_FILES[name]())).toBe(true);
  });

  test('they are what the README says', () => {
    const png = readFileSync(new URL('../fixtures/media/red-square.png', import.meta.url));
    expect(pngSize(png)).toEqual({ width: 32, height: 32 });
    const wav = readFileSync(new URL('../fixtures/media/tone-440hz.wav', import.meta.url));
    expect(parseWav(wav)).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16, durationMs: 500 });
    expect(jpegSize(readFileSync(new URL('../fixtures/media/blue-square.jpg', import.meta.url)))).toEqual({ width: 32, height: 32 });
    expect(parseMp3(readFileSync(new URL('../fixtures/media/silence.mp3', import.meta.url)))?.durationMs).toBe(522);
  });
});
