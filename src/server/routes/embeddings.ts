import { createHash } from 'node:crypto';
import { invalid } from '../errors.js';
import { json } from '../http.js';
import type { Route } from '../router.js';
import type { Reply } from '../stages.js';
import { tokens } from '../ids.js';
import { requireModel } from '../models.js';
import { optionalEnum, optionalInt, requireBody } from '../params.js';

const DEFAULT_DIMENSIONS = 16;
const MAX_DIMENSIONS = 3072;

type Input = string | number[];

/** POST /embeddings, also used for the embedding lines of a batch. */
export function createEmbeddings(payload: unknown): Reply {
  const body = requireBody(payload);
  const model = requireModel(body.model, 'embedding');
  const inputs = readInputs(body.input);
  const dimensions = optionalInt(body, 'dimensions', 1, MAX_DIMENSIONS, DEFAULT_DIMENSIONS);
  const format = optionalEnum(body, 'encoding_format', ['float', 'base64'] as const, 'float');
  const promptTokens = inputs.reduce((sum, input) => sum + (typeof input === 'string' ? tokens(input) : input.length), 0);
  return json({
    object: 'list',
    data: inputs.map((input, index) => {
      const vector = embed(input, dimensions);
      return { object: 'embedding', index, embedding: format === 'float' ? vector : toBase64(vector) };
    }),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

function readInputs(input: unknown): Input[] {
  const isTokens = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every(Number.isInteger);
  const list = typeof input === 'string' || isTokens(input) ? [input] : input;
  const valid = Array.isArray(list) && list.length > 0 && list.every((v) => (typeof v === 'string' && v !== '') || isTokens(v));
  if (!valid) throw invalid("Invalid 'input': expected a non-empty string, array of strings, or token arrays.", 'input', 'invalid_value');
  return list as Input[];
}

/** A unit vector from the input's hash. A shorter `dimensions` gives a renormalised prefix, as OpenAI's do. */
function embed(input: Input, dimensions: number): number[] {
  const seed = JSON.stringify(input);
  const blocks = Array.from({ length: Math.ceil(dimensions / 8) }, (_, b) => createHash('sha256').update(`${seed}\0${b}`).digest());
  const raw = Array.from({ length: dimensions }, (_, i) => blocks[i >> 3].readUInt32LE((i % 8) * 4) / 0x80000000 - 1);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((v) => Math.fround(v / norm));
}

/** Little-endian float32 bytes, base64-encoded (`encoding_format: "base64"`). */
export function toBase64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString('base64');
}

export const embeddingRoutes: Route[] = [{ method: 'POST', path: '/embeddings', op: 'embeddings', handle: (req) => createEmbeddings(req.json) }];
