import type { Exchange, Finding } from '../../core/types.js';
import { described, finding, noAnswer, parseBody } from '../answer.js';
import { invariant, semanticCheck, type CheckContext } from '../types.js';

type Json = Record<string, unknown>;

/**
 * The encoding the endpoint was asked for on the wire, and by whom. The openai SDK asks for
 * base64 when the caller names none (and decodes it), so the request the SDK sent decides what
 * the body must carry, not the caller's parameters.
 */
export function requestedEncoding(exchange: Exchange): { encoding: 'float' | 'base64'; by: 'request' | 'SDK default' | 'API default' } {
  let wire: unknown;
  try {
    wire = exchange.request?.body ? (JSON.parse(exchange.request.body) as Json).encoding_format : undefined;
  } catch {
    wire = undefined;
  }
  const asked = exchange.params.encoding_format;
  if (asked === 'base64' || asked === 'float') return { encoding: asked, by: 'request' };
  if (wire === 'base64') return { encoding: 'base64', by: 'SDK default' };
  return { encoding: 'float', by: 'API default' };
}

/** Little-endian float32 values of a base64 embedding; null when the bytes are not whole floats. */
export function decodeBase64Vector(text: string): number[] | null {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0 || bytes.length % 4 !== 0 || bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) return null;
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}

/** The vectors of an embeddings body as the wire carried them, decoded per the requested encoding. */
function wireVectors(exchange: Exchange): { data: Json[]; vectors: (number[] | Finding)[] } | undefined {
  const body = parseBody(exchange).value as Json | undefined;
  if (!body || !Array.isArray(body.data)) return undefined;
  const { encoding, by } = requestedEncoding(exchange);
  const data = body.data as Json[];
  const vectors = data.map((item, i): number[] | Finding => {
    const e = item?.embedding;
    const at = `/data/${i}/embedding`;
    if (encoding === 'base64') {
      if (typeof e !== 'string') return finding(at, `a base64 string of little-endian float32 values (encoding_format base64, by ${by})`, Array.isArray(e) ? described(`an array of ${e.length} numbers`) : e, 'must', by === 'SDK default' ? 'the SDK decodes base64 it asked for: floats come out a quarter as long and wrong' : undefined);
      return decodeBase64Vector(e) ?? finding(at, 'base64 of whole float32 values (a multiple of 4 bytes)', described(`${e.slice(0, 24)}...`), 'must');
    }
    if (!Array.isArray(e)) return finding(at, 'an array of numbers (encoding_format float)', typeof e === 'string' ? described(`a string of ${e.length} characters`) : e, 'must');
    return e as number[];
  });
  return { data, vectors };
}

const inputCount = (input: unknown) => (Array.isArray(input) && input.length > 0 && typeof input[0] !== 'number' ? input.length : 1);

export const embeddingsShape = invariant(
  'semantic.embeddings',
  'Every embeddings answer: one vector per input, index in order, finite numbers all of one length (the requested dimensions, when set); base64 (asked for by the caller or the SDK) decodes as little-endian float32.',
  (ctx) => !ctx.expectError && ctx.exchange.operation === 'embeddings.create',
  ({ exchange }) => {
    const decoded = wireVectors(exchange);
    if (!decoded) return noAnswer();
    const { data, vectors } = decoded;
    const inputs = inputCount(exchange.params.input);
    const findings: Finding[] = [];
    if (data.length !== inputs) findings.push(finding('/data', `${inputs} embedding(s), one per input`, described(`${data.length}`), 'must'));
    const wanted = exchange.params.dimensions as number | undefined;
    const first = vectors.find((v): v is number[] => Array.isArray(v));
    data.forEach((item, i) => {
      if (item?.index !== i) findings.push(finding(`/data/${i}/index`, String(i), item?.index, 'must'));
      const vector = vectors[i]!;
      const at = `/data/${i}/embedding`;
      if (!Array.isArray(vector)) findings.push(vector);
      else if (vector.length === 0 || !vector.every((x) => typeof x === 'number' && Number.isFinite(x))) findings.push(finding(at, 'a non-empty vector of finite numbers', described(`${vector.length} values, some not finite numbers`), 'must'));
      else if (wanted !== undefined && vector.length !== wanted) findings.push(finding(at, `${wanted} dimensions (as requested)`, described(`${vector.length} dimensions`), 'must'));
      else if (first && vector.length !== first.length) findings.push(finding(at, `${first.length} dimensions, like the first vector`, described(`${vector.length} dimensions`), 'must'));
    });
    return findings;
  },
  (ctx) => {
    const { encoding, by } = requestedEncoding(ctx.exchange);
    return `encoding: ${encoding} (${by})`;
  },
);

/** Cosine similarity; 0 for a zero vector. */
function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** How close a base64 vector must be to the float answer for the same input (vendors do not promise bit-identical runs). */
const MIN_COSINE = 0.999;

export const embeddingsAgree = semanticCheck(
  'semantic.embeddings-agree',
  'The vectors of this answer (decoded from base64 when that was asked for) match the float answer for the same input (`params.floats`: its data): same count and length, cosine at least 0.999.',
  ({ exchange, params }: CheckContext) => {
    const decoded = wireVectors(exchange);
    if (!decoded) return noAnswer();
    const floats = (Array.isArray(params.floats) ? params.floats : []) as Json[];
    if (floats.length === 0) return [finding('params.floats', 'the data of an earlier float answer', params.floats, 'must', 'fixture error: nothing to compare with')];
    const findings: Finding[] = [];
    if (decoded.vectors.length !== floats.length) findings.push(finding('/data', `${floats.length} embedding(s), like the float answer`, described(`${decoded.vectors.length}`), 'must'));
    decoded.vectors.forEach((vector, i) => {
      const reference = floats[i]?.embedding;
      if (!Array.isArray(vector) || !Array.isArray(reference)) return;
      const at = `/data/${i}/embedding`;
      if (vector.length !== reference.length) findings.push(finding(at, `${reference.length} values, like the float answer`, described(`${vector.length} values`), 'must'));
      else {
        const similarity = cosine(vector, reference as number[]);
        if (!(similarity >= MIN_COSINE)) findings.push(finding(at, `the float answer's vector (cosine >= ${MIN_COSINE})`, described(`cosine ${similarity.toFixed(4)}; first values ${vector.slice(0, 3).map((v) => v.toPrecision(4)).join(', ')} vs ${(reference as number[]).slice(0, 3).map((v) => v.toPrecision(4)).join(', ')}`), 'must'));
      }
    });
    return findings;
  },
  { calls: ['embeddings.create'] },
);
