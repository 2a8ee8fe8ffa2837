/** float32 vectors as bytes: what `encoding_format: "base64"` carries (little-endian on the wire). */
export function encodeFloats(vector: number[], order: 'LE' | 'BE' = 'LE'): Buffer {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => (order === 'LE' ? bytes.writeFloatLE(v, i * 4) : bytes.writeFloatBE(v, i * 4)));
  return bytes;
}

export function decodeFloats(bytes: Buffer): number[] {
  return Array.from({ length: Math.floor(bytes.length / 4) }, (_, i) => bytes.readFloatLE(i * 4));
}
