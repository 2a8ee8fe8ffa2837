import { crc32, deflateSync, inflateSync } from 'node:zlib';

export type Rgba = [number, number, number, number];
export type ImageKind = 'png' | 'jpeg' | 'gif' | 'webp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * An 8-bit RGBA PNG. Stored deflate blocks by default (the same bytes everywhere); `compress`
 * deflates for real, for large images whose exact bytes do not matter.
 */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba, opts: { compress?: boolean } = {}): Buffer {
  const stride = width * 4 + 1;
  const raw = Buffer.alloc(stride * height); // each row: filter byte 0 (None), then RGBA pixels
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * stride + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', opts.compress ? deflateSync(raw) : zlibStored(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A zlib stream made of stored (uncompressed) deflate blocks. Compressed output differs between
 * zlib builds and CPUs; stored blocks make the bytes the same everywhere.
 */
function zlibStored(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x78, 0x01])];
  for (let at = 0; at < data.length || at === 0; at += 0xffff) {
    const block = data.subarray(at, at + 0xffff);
    const head = Buffer.alloc(5);
    head[0] = at + 0xffff >= data.length ? 1 : 0; // BFINAL on the last block, BTYPE 00
    head.writeUInt16LE(block.length, 1);
    head.writeUInt16LE(~block.length & 0xffff, 3);
    parts.push(head, block);
  }
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(adler32(data), 0);
  parts.push(adler);
  return Buffer.concat(parts);
}

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** The image format by magic bytes, or null when the bytes are none of the four. */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a') return 'gif';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

/** Width and height from the IHDR chunk, or null when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (sniffImage(b) !== 'png' || b.length < 24 || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/**
 * The colour of pixel (x, y) of an 8-bit PNG, or null when it cannot be read. Rows are read
 * unfiltered: pixel (0, 0) is the same under every filter; elsewhere only rows with filter None
 * (what `encodePng` writes) are read.
 */
export function pngPixel(bytes: Uint8Array, x: number, y: number): Rgba | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = pngSize(b);
  if (!size || b[24] !== 8 || x >= size.width || y >= size.height) return null;
  const colourType = b[25];
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colourType];
  if (!channels) return null;
  const idat: Buffer[] = [];
  let palette: Buffer | undefined;
  for (let at = 8; at + 8 <= b.length; ) {
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    const data = b.subarray(at + 8, at + 8 + length);
    if (type === 'IDAT') idat.push(data);
    if (type === 'PLTE') palette = data;
    at += 12 + length;
  }
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return null;
  }
  const stride = size.width * channels + 1;
  const row = y * stride;
  if (raw.length < row + stride || (raw[row] !== 0 && (x > 0 || y > 0))) return null;
  const p = raw.subarray(row + 1 + x * channels);
  switch (colourType) {
    case 0: return [p[0], p[0], p[0], 255];
    case 2: return [p[0], p[1], p[2], 255];
    case 3: return palette ? [palette[p[0] * 3], palette[p[0] * 3 + 1], palette[p[0] * 3 + 2], 255] : null;
    case 4: return [p[0], p[0], p[0], p[1]];
    default: return [p[0], p[1], p[2], p[3]];
  }
}

/** The colour of pixel (0, 0). */
export const pngFirstPixel = (bytes: Uint8Array): Rgba | null => pngPixel(bytes, 0, 0);
