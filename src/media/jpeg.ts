/**
 * A baseline JPEG of one flat colour, and the reader of a JPEG's size. Flat 8×8 blocks have only
 * a DC coefficient, so the encoder needs no DCT: each block is its DC difference and an
 * end-of-block code, Huffman-coded with the standard tables of ITU T.81 Annex K.
 */
import type { Rgba } from './png.js';

// Annex K.3: code-length counts (1..16 bits) and symbols of the standard tables.
const DC_LUMA = { counts: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], symbols: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const DC_CHROMA = { counts: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], symbols: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
// Only the end-of-block symbol (0x00) is ever written; a table holding it alone is valid.
const AC_EOB_ONLY = { counts: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], symbols: [0] };

type Table = typeof DC_LUMA;

/** Canonical Huffman codes of a table: symbol → [code, length]. */
function codes(table: Table): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  table.counts.forEach((count, i) => {
    for (let j = 0; j < count; j++) out.set(table.symbols[k++], [code++, i + 1]);
    code <<= 1;
  });
  return out;
}

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  finish(): Buffer {
    if (this.n > 0) this.write(0xff >> this.n, 8 - this.n); // pad with 1 bits
    return Buffer.from(this.bytes);
  }
}

const segment = (marker: number, data: number[]) => Buffer.from([0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 0xff, ...data]);

/** A 4:4:4 baseline JPEG of width×height pixels (multiples of 8), all of one colour. */
export function encodeFlatJpeg(width: number, height: number, [r, g, b]: Rgba): Buffer {
  // JFIF colour conversion; the DC coefficient of a flat block is 8 × (level − 128) with quantiser 1.
  const ycc = [0.299 * r + 0.587 * g + 0.114 * b, 128 - 0.168736 * r - 0.331264 * g + 0.5 * b, 128 + 0.5 * r - 0.418688 * g - 0.081312 * b];
  const dc = ycc.map((v) => Math.round(8 * (Math.min(255, Math.max(0, v)) - 128)));
  const tables = [codes(DC_LUMA), codes(DC_CHROMA)];
  const eob = codes(AC_EOB_ONLY).get(0)!;
  const bits = new BitWriter();
  const previous = [0, 0, 0];
  for (let block = 0; block < (width / 8) * (height / 8); block++) {
    for (let c = 0; c < 3; c++) {
      const diff = dc[c] - previous[c];
      previous[c] = dc[c];
      const size = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
      const [code, length] = tables[c === 0 ? 0 : 1].get(size)!;
      bits.write(code, length);
      if (size) bits.write(diff > 0 ? diff : diff + (1 << size) - 1, size);
      bits.write(eob[0], eob[1]);
    }
  }
  const dht = (cls: number, id: number, t: Table) => segment(0xc4, [(cls << 4) | id, ...t.counts, ...t.symbols]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // JFIF 1.1, no thumbnail
    segment(0xdb, [0, ...new Array(64).fill(1)]), // one quantisation table of ones
    segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]),
    dht(0, 0, DC_LUMA),
    dht(0, 1, DC_CHROMA),
    dht(1, 0, AC_EOB_ONLY),
    segment(0xda, [3, 1, 0x00, 2, 0x10, 3, 0x10, 0, 63, 0]),
    bits.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** Width and height from a JPEG's start-of-frame segment, or null when there is none. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  for (let at = 2; at + 9 < b.length; ) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    const length = b.readUInt16BE(at + 2);
    // SOF0..SOF15, except DHT (c4), JPG (c8) and DAC (cc).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { width: b.readUInt16BE(at + 7), height: b.readUInt16BE(at + 5) };
    at += 2 + length;
  }
  return null;
}
