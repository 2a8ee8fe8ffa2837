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

interface Huffman {
  /** `${length}:${code}` → symbol */
  codes: Map<string, number>;
}

function readHuffman(counts: Uint8Array | Buffer, symbols: Buffer): Huffman {
  const table: Huffman = { codes: new Map() };
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let j = 0; j < counts[length - 1]!; j++) table.codes.set(`${length}:${code++}`, symbols[k++]!);
    code <<= 1;
  }
  return table;
}

class BitReader {
  private at: number;
  private acc = 0;
  private n = 0;
  constructor(
    private readonly b: Buffer,
    start: number,
  ) {
    this.at = start;
  }
  bit(): number {
    if (this.n === 0) {
      if (this.at >= this.b.length) throw new Error('end of data');
      this.acc = this.b[this.at++]!;
      if (this.acc === 0xff) {
        if (this.b[this.at] !== 0) throw new Error('marker inside the scan');
        this.at++; // stuffed zero
      }
      this.n = 8;
    }
    return (this.acc >> --this.n) & 1;
  }
  bits(count: number): number {
    let v = 0;
    for (let i = 0; i < count; i++) v = (v << 1) | this.bit();
    return v;
  }
  symbol(table: Huffman): number {
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | this.bit();
      const symbol = table.codes.get(`${length}:${code}`);
      if (symbol !== undefined) return symbol;
    }
    throw new Error('bad Huffman code');
  }
}

const extend = (v: number, size: number) => (size === 0 ? 0 : v < 1 << (size - 1) ? v - (1 << size) + 1 : v);

/**
 * The average colour of the first 8×8 block of a baseline YCbCr JPEG (its DC coefficients, with
 * AC codes skipped), or null when the file is not one this reader handles. Enough to tell what
 * colour a flat picture is.
 */
export function jpegFirstBlockColour(bytes: Uint8Array): Rgba | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  const quant = new Map<number, number>();
  const dc = new Map<number, Huffman>();
  const ac = new Map<number, Huffman>();
  let components: { id: number; blocks: number; q: number }[] = [];
  try {
    for (let at = 2; at + 4 <= b.length; ) {
      if (b[at] !== 0xff) return null;
      const marker = b[at + 1]!;
      const length = b.readUInt16BE(at + 2);
      const seg = b.subarray(at + 4, at + 2 + length);
      if (marker === 0xdb) {
        for (let i = 0; i < seg.length; ) {
          const precision = seg[i]! >> 4;
          quant.set(seg[i]! & 15, precision ? seg.readUInt16BE(i + 1) : seg[i + 1]!);
          i += 1 + 64 * (precision ? 2 : 1);
        }
      } else if (marker === 0xc0 || marker === 0xc1) {
        components = Array.from({ length: seg[5]! }, (_, i) => ({ id: seg[6 + i * 3]!, blocks: (seg[7 + i * 3]! >> 4) * (seg[7 + i * 3]! & 15), q: seg[8 + i * 3]! }));
      } else if (marker === 0xc4) {
        for (let i = 0; i < seg.length; ) {
          const counts = seg.subarray(i + 1, i + 17);
          const total = counts.reduce((s, c) => s + c, 0);
          (seg[i]! >> 4 ? ac : dc).set(seg[i]! & 15, readHuffman(counts, seg.subarray(i + 17, i + 17 + total)));
          i += 17 + total;
        }
      } else if (marker === 0xda) {
        if (components.length !== 3) return null;
        const scan = Array.from({ length: seg[0]! }, (_, i) => ({ id: seg[1 + i * 2]!, dc: seg[2 + i * 2]! >> 4, ac: seg[2 + i * 2]! & 15 }));
        const reader = new BitReader(b, at + 2 + length);
        const levels: number[] = [];
        for (const s of scan) {
          const component = components.find((c) => c.id === s.id);
          if (!component) return null;
          for (let block = 0; block < component.blocks; block++) {
            const size = reader.symbol(dc.get(s.dc)!);
            const value = extend(reader.bits(size), size);
            for (let k = 1; k < 64; ) {
              const symbol = reader.symbol(ac.get(s.ac)!);
              if (symbol === 0) break;
              k += (symbol >> 4) + 1;
              reader.bits(symbol & 15);
            }
            if (block === 0) levels.push((value * (quant.get(component.q) ?? 1)) / 8 + 128);
          }
        }
        const [y, cb, cr] = levels as [number, number, number];
        const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
        return [clamp(y + 1.402 * (cr - 128)), clamp(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)), clamp(y + 1.772 * (cb - 128)), 255];
      }
      at += 2 + length;
    }
  } catch {
    return null;
  }
  return null;
}
