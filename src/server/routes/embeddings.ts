import { createHash } from 'node:crypto';
import { invalid } from '../errors.js';
import { encodeFloats } from '../floats.js';
import { json } from '../http.js';
import type { Route } from '../router.js';
import type { Reply } from '../stages.js';
import { tokens } from '../ids.js';
import { requireModel } from '../models.js';
import { optionalEnum, optionalInt, requireBody } from '../params.js';

const DEFAULT_DIMENSIONS = 16;
const MAX_DIMENSIONS = 3072;
/** The context of the reference embedding model, per input (OpenAI's text-embedding-3 take 8192 tokens). */
const CONTEXT_TOKENS = 8192;
/** Inputs per request (OpenAI's limit). */
const MAX_INPUTS = 2048;

type Input = string | number[];

/** POST /embeddings, also used for the embedding lines of a batch. */
export function createEmbeddings(payload: unknown): Reply {
  const body = requireBody(payload);
  const model = requireModel(body.model, 'embedding');
  const inputs = readInputs(body.input);
  const dimensions = optionalInt(body, 'dimensions', 1, MAX_DIMENSIONS, DEFAULT_DIMENSIONS);
  const format = optionalEnum(body, 'encoding_format', ['float', 'base64'] as const, 'float');
  const counts = inputs.map((input) => (typeof input === 'string' ? tokens(input) : input.length));
  const longest = Math.max(...counts);
  if (longest > CONTEXT_TOKENS) {
    throw invalid(`This model's maximum context length is ${CONTEXT_TOKENS} tokens, however you requested ${longest} tokens in one input. Please reduce your input.`, 'input', 'context_length_exceeded');
  }
  const promptTokens = counts.reduce((sum, n) => sum + n, 0);
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
  if (list.length > MAX_INPUTS) throw invalid(`Invalid 'input': at most ${MAX_INPUTS} inputs per request.`, 'input', 'invalid_value');
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
const toBase64 = (vector: number[]): string => encodeFloats(vector).toString('base64');

export const embeddingRoutes: Route[] = [{ method: 'POST', path: '/embeddings', op: 'embeddings', handle: (req) => createEmbeddings(req.json) }];
