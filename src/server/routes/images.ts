import { MEDIA_FILES } from '../../media/fixtures.js';
import { encodePng } from '../../media/png.js';
import type { ServerContext } from '../context.js';
import { invalid, notFound } from '../errors.js';
import { bytes, json } from '../http.js';
import type { Route } from '../router.js';
import type { Reply } from '../stages.js';
import { CREATED, hashOf, tokens } from '../ids.js';
import { requireModel } from '../models.js';
import { optionalEnum, optionalInt, requireBody, requireString } from '../params.js';

/** The side of a generated image when the request names no size (or `auto`). */
const DEFAULT_SIDE = 16;
const MAX_SIDE = 4096;

/** WIDTHxHEIGHT, `auto` or absent; anything else is a 400. */
function sizeOf(size: unknown): { width: number; height: number } {
  if (size == null || size === 'auto') return { width: DEFAULT_SIDE, height: DEFAULT_SIDE };
  const match = typeof size === 'string' ? /^(\d+)x(\d+)$/.exec(size) : null;
  const [width, height] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw invalid(`Invalid 'size': expected 'auto' or WIDTHxHEIGHT (at most ${MAX_SIDE} a side).`, 'size', 'invalid_value');
  }
  return { width, height };
}

const MEDIA_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', wav: 'audio/wav', mp3: 'audio/mpeg' };

function generate(payload: unknown, ctx: ServerContext): Reply {
  const body = requireBody(payload);
  if (body.model != null) requireModel(body.model, 'image');
  const prompt = requireString(body, 'prompt');
  const n = optionalInt(body, 'n', 1, 10, 1);
  const format = optionalEnum(body, 'response_format', ['b64_json', 'url'] as const, 'b64_json');
  const { width, height } = sizeOf(body.size);
  const data = Array.from({ length: n }, (_, i) => {
    const hash = hashOf(prompt, String(i));
    const colour = [parseInt(hash.slice(0, 2), 16), parseInt(hash.slice(2, 4), 16), parseInt(hash.slice(4, 6), 16), 255] as const;
    const png = encodePng(width, height, () => [...colour], { compress: true });
    if (format === 'b64_json') return { b64_json: png.toString('base64'), revised_prompt: prompt };
    const id = `img_${hash.slice(0, 24)}`;
    ctx.images.set(id, png);
    return { url: `${ctx.baseUrl}/_ref/images/${id}.png`, revised_prompt: prompt };
  });
  const input = tokens(prompt);
  const output = n * Math.ceil((width * height) / 1024);
  return json({
    created: CREATED,
    data,
    usage: { total_tokens: input + output, input_tokens: input, output_tokens: output, input_tokens_details: { text_tokens: input, image_tokens: 0 } },
  });
}

export const imageRoutes: Route[] = [
  {
    method: 'GET',
    path: '/_ref/media/:name',
    op: 'media.content',
    public: true,
    handle: (_, { name }) => {
      const make = Object.hasOwn(MEDIA_FILES, name) ? MEDIA_FILES[name] : undefined;
      if (!make) throw notFound(`No media file named ${name}.`);
      return bytes(make(), MEDIA_TYPES[name.split('.').pop()!] ?? 'application/octet-stream');
    },
  },
  { method: 'POST', path: '/images/generations', op: 'images.generate', handle: (req, _, ctx) => generate(req.json, ctx) },
  {
    method: 'GET',
    path: '/_ref/images/:name',
    op: 'images.content',
    public: true,
    handle: (_, { name }, ctx) => {
      const png = ctx.images.get(name.replace(/\.png$/, ''));
      if (!png) throw notFound(`No image named ${name}.`);
      return bytes(png, 'image/png');
    },
  },
];
