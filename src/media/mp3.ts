/**
 * MPEG-1 Layer III frames of silence, and a reader of their header. A frame whose side information
 * is all zero has no audio data: decoders play it as silence, so the file is valid and tiny.
 */

const SAMPLE_RATES = [44_100, 48_000, 32_000];
const BITRATES_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

/** `frames` silent frames at 128 kbit/s, 44.1 kHz, mono (1152 samples, 417 bytes each). */
export function silentMp3(frames: number): Buffer {
  const frameBytes = Math.floor((144 * 128_000) / 44_100);
  const frame = Buffer.alloc(frameBytes);
  frame.set([0xff, 0xfb, 0x90, 0xc0]); // sync, MPEG-1, Layer III, no CRC; 128 kbit/s, 44.1 kHz; mono
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

export interface Mp3Info {
  sampleRate: number;
  bitrateKbps: number;
  frames: number;
  durationMs: number;
}

/** The frames of an MPEG-1 Layer III stream (after an optional ID3v2 tag), or null when it is none. */
export function parseMp3(bytes: Uint8Array): Mp3Info | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  if (b.toString('latin1', 0, 3) === 'ID3' && b.length >= 10) at = 10 + ((b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9]);
  let frames = 0;
  let info: Omit<Mp3Info, 'frames' | 'durationMs'> | undefined;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff || (b[at + 1] & 0xfe) !== 0xfa) break; // MPEG-1 Layer III sync
    const bitrate = BITRATES_KBPS[b[at + 2] >> 4];
    const sampleRate = SAMPLE_RATES[(b[at + 2] >> 2) & 3];
    if (!bitrate || !sampleRate) break;
    info ??= { sampleRate, bitrateKbps: bitrate };
    at += Math.floor((144 * bitrate * 1000) / sampleRate) + ((b[at + 2] >> 1) & 1);
    frames++;
  }
  if (!info || frames === 0 || at > b.length) return null;
  return { ...info, frames, durationMs: Math.round((frames * 1152 * 1000) / info.sampleRate) };
}
