import { jpegFirstBlockColour, jpegSize } from '../../media/jpeg.js';
import { MEDIA_FILES } from '../../media/fixtures.js';
import { parseMp3 } from '../../media/mp3.js';
import { pngPixel, pngSize, sniffImage, type Rgba } from '../../media/png.js';
import { parseWav } from '../../media/wav.js';
import { invalid } from '../errors.js';

const badMedia = (message: string) => invalid(message, 'messages', 'invalid_value');

/** Where the reference server serves the media fixtures (GET /v1/_ref/media/NAME, no key needed). */
export const REF_MEDIA_PATH = '/_ref/media/';

const COLOURS: [string, Rgba][] = [
  ['red', [255, 0, 0, 255]],
  ['green', [0, 160, 0, 255]],
  ['blue', [0, 0, 255, 255]],
  ['yellow', [255, 255, 0, 255]],
  ['white', [255, 255, 255, 255]],
  ['black', [0, 0, 0, 255]],
  ['grey', [128, 128, 128, 255]],
];

/** The nearest colour name, so the reference model can say what a picture shows. */
function colourName(pixel: Rgba): string {
  const distance = (c: Rgba) => (c[0] - pixel[0]) ** 2 + (c[1] - pixel[1]) ** 2 + (c[2] - pixel[2]) ** 2;
  return COLOURS.reduce((best, c) => (distance(c[1]) < distance(best[1]) ? c : best))[0];
}

const hex = (pixel: Rgba) => `#${pixel.slice(0, 3).map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/**
 * The bytes of an image_url: a base64 data URL, or an http(s) URL of the server's own media
 * (read in-process, so it works behind any host name and port; nothing is fetched from the network).
 */
function imageBytes(url: unknown): Buffer {
  if (typeof url !== 'string') throw badMedia('image_url.url must be a string.');
  const data = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(url);
  if (data) {
    if (!data[2]) throw badMedia('A data URL image must be base64 (data:image/...;base64,...).');
    return Buffer.from(data[3], 'base64');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badMedia('image_url.url must be a data URL or an http(s) URL.');
  }
  const at = parsed.pathname.indexOf(REF_MEDIA_PATH);
  const make = at >= 0 ? MEDIA_FILES[parsed.pathname.slice(at + REF_MEDIA_PATH.length)] : undefined;
  if (!/^https?:$/.test(parsed.protocol) || !make) {
    throw badMedia(`Failed to download the image at ${url}: the reference server reads only its own ${REF_MEDIA_PATH} files (it has no network).`);
  }
  return make();
}

/** A sentence describing an `image_url` part; throws a 400 unless it is a PNG, JPEG, GIF or WEBP with a valid detail. */
export function describeImage(part: { url?: unknown; detail?: unknown }): string {
  if (part.detail !== undefined && !['auto', 'low', 'high'].includes(part.detail as string)) {
    throw badMedia(`Invalid value for image_url.detail: ${JSON.stringify(part.detail)}. Supported values are: 'low', 'high', and 'auto'.`);
  }
  const data = imageBytes(part.url);
  const kind = sniffImage(data);
  if (!kind) throw badMedia('The image data is not a valid PNG, JPEG, GIF or WEBP image.');
  const seen = part.detail ? ` (looked at in ${part.detail} detail)` : '';
  if (kind === 'png') {
    const size = pngSize(data);
    if (!size) throw badMedia('The PNG image is truncated.');
    const centre = pngPixel(data, size.width >> 1, size.height >> 1);
    const colour = centre ? `, mostly ${colourName(centre)} (${hex(centre)} at its centre)` : '';
    return `The image is a ${size.width}×${size.height} PNG${colour}${seen}.`;
  }
  if (kind === 'jpeg') {
    const size = jpegSize(data);
    if (!size) throw badMedia('The JPEG image has no frame header.');
    const block = jpegFirstBlockColour(data);
    const colour = block ? `, mostly ${colourName(block)} (${hex(block)} in its first block)` : '';
    return `The image is a ${size.width}×${size.height} JPEG${colour}${seen}.`;
  }
  if (kind === 'gif' && data.length >= 10) return `The image is a ${data.readUInt16LE(6)}×${data.readUInt16LE(8)} GIF${seen}.`;
  return `The image is a ${kind.toUpperCase()} of ${data.length} bytes${seen}.`;
}

/** A sentence with the "transcript" of an `input_audio` part; throws a 400 unless it is a WAV or MP3. */
export function describeAudio(audio: unknown): string {
  const { data, format } = (audio ?? {}) as { data?: unknown; format?: unknown };
  if (typeof data !== 'string') throw badMedia('input_audio.data must be a base64 string.');
  const bytes = Buffer.from(data, 'base64');
  if (format === 'wav') {
    const wav = parseWav(bytes);
    if (!wav) throw badMedia('The audio data is not a valid WAV file.');
    return `The audio is a ${wav.durationMs} ms WAV recording (${wav.sampleRate} Hz, ${wav.channels} channel${wav.channels === 1 ? '' : 's'}); transcript: "a steady tone lasting ${wav.durationMs} ms".`;
  }
  if (format === 'mp3') {
    const mp3 = parseMp3(bytes);
    if (!mp3) throw badMedia('The audio data is not a valid MP3 file.');
    return `The audio is a ${mp3.durationMs} ms MP3 recording (${mp3.sampleRate} Hz, ${mp3.bitrateKbps} kbit/s); transcript: "silence lasting ${mp3.durationMs} ms".`;
  }
  throw invalid(`Invalid value for input_audio.format: ${JSON.stringify(format)}. Supported values are: 'wav' and 'mp3'.`, 'messages', 'invalid_value');
}
