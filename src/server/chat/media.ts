import { pngFirstPixel, pngSize, sniffImage } from '../../media/png.js';
import { parseWav } from '../../media/wav.js';
import { invalid } from '../errors.js';

const badMedia = (message: string) => invalid(message, 'messages', 'invalid_value');

/** A sentence describing an `image_url` part; throws a 400 unless it is a PNG, JPEG, GIF or WEBP data URL. */
export function describeImage(url: unknown): string {
  const match = typeof url === 'string' ? /^data:([^;,]*)(;base64)?,(.*)$/s.exec(url) : null;
  if (!match || !match[2]) throw badMedia('image_url.url must be a base64 data URL (data:image/...;base64,...).');
  const data = Buffer.from(match[3], 'base64');
  const kind = sniffImage(data);
  if (!kind) throw badMedia('The image data is not a valid PNG, JPEG, GIF or WEBP image.');
  if (kind === 'png') {
    const size = pngSize(data);
    if (!size) throw badMedia('The PNG image is truncated.');
    const pixel = pngFirstPixel(data);
    const colour = pixel ? ` whose top-left pixel is #${pixel.slice(0, 3).map((c) => c.toString(16).padStart(2, '0')).join('')}` : '';
    return `The image is a ${size.width}×${size.height} PNG${colour}.`;
  }
  if (kind === 'gif' && data.length >= 10) return `The image is a ${data.readUInt16LE(6)}×${data.readUInt16LE(8)} GIF.`;
  return `The image is a ${kind.toUpperCase()} of ${data.length} bytes.`;
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
    const isMp3 = bytes.toString('latin1', 0, 3) === 'ID3' || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0);
    if (!isMp3) throw badMedia('The audio data is not a valid MP3 file.');
    return `The audio is an MP3 recording of ${bytes.length} bytes; transcript: "a short recording".`;
  }
  throw badMedia("input_audio.format must be 'wav' or 'mp3'.");
}
