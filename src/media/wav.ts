export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  durationMs: number;
}

/** A 16-bit PCM mono WAV file. */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const dataBytes = samples.length * 2;
  const b = Buffer.alloc(44 + dataBytes);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36 + dataBytes, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16); // fmt chunk size
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 2, 28); // byte rate
  b.writeUInt16LE(2, 32); // block align
  b.writeUInt16LE(16, 34); // bits per sample
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(dataBytes, 40);
  samples.forEach((s, i) => b.writeInt16LE(s, 44 + i * 2));
  return b;
}

/** The format and duration of a RIFF/WAVE file, or null when the bytes are not a readable WAV. */
export function parseWav(bytes: Uint8Array): WavInfo | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 12 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WAVE') return null;
  let fmt: Omit<WavInfo, 'durationMs'> | undefined;
  for (let at = 12; at + 8 <= b.length; ) {
    const id = b.toString('latin1', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    if (id === 'fmt ' && size >= 16 && at + 24 <= b.length) {
      fmt = { channels: b.readUInt16LE(at + 10), sampleRate: b.readUInt32LE(at + 12), bitsPerSample: b.readUInt16LE(at + 22) };
    }
    if (id === 'data') {
      const bytesPerSecond = fmt ? (fmt.sampleRate * fmt.channels * fmt.bitsPerSample) / 8 : 0;
      if (!fmt || bytesPerSecond <= 0) return null;
      // Streamed WAVs may declare a larger data size than they carry.
      const dataBytes = Math.min(size, b.length - at - 8);
      return { ...fmt, durationMs: Math.round((dataBytes / bytesPerSecond) * 1000) };
    }
    at += 8 + size + (size % 2); // chunks are padded to an even size
  }
  return null;
}
