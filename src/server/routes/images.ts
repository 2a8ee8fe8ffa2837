import { encodePng } from '../../media/png.js';
import type { ServerContext } from '../context.js';
import { invalid, notFound } from '../errors.js';
import { bytes, json } from '../http.js';
import type { Route } from '../router.js';
import type { Reply } from '../stages.js';
import { CREATED, hashOf, tokens } from '../ids.js';
import { requireModel } from '../models.js';
import { optionalEnum, optionalInt, requireBody, requireString } from '../params.js';

/** Generated images are 16×16 whatever the requested size: enough to decode and check. */
const SIDE = 16;

function generate(payload: unknown, ctx: ServerContext): Reply {
  const body = requireBody(payload);
  if (body.model != null) requireModel(body.model, 'image');
  const prompt = requireString(body, 'prompt');
  const n = optionalInt(body, 'n', 1, 10, 1);
  const format = optionalEnum(body, 'response_format', ['b64_json', 'url'] as const, 'b64_json');
  if (body.size != null && (typeof body.size !== 'string' || !/^(auto|\d+x\d+)$/.test(body.size))) {
    throw invalid("Invalid 'size': expected 'auto' or WIDTHxHEIGHT.", 'size', 'invalid_value');
  }
  const data = Array.from({ length: n }, (_, i) => {
    const hash = hashOf(prompt, String(i));
    const png = encodePng(SIDE, SIDE, () => [parseInt(hash.slice(0, 2), 16), parseInt(hash.slice(2, 4), 16), parseInt(hash.slice(4, 6), 16), 255]);
    if (format === 'b64_json') return { b64_json: png.toString('base64'), revised_prompt: prompt };
    const id = `img_${hash.slice(0, 24)}`;
    ctx.images.set(id, png);
    return { url: `${ctx.baseUrl}/_ref/images/${id}.png`, revised_prompt: prompt };
  });
  const input = tokens(prompt);
  const output = n * SIDE;
  return json({
    created: CREATED,
    data,
    usage: { total_tokens: input + output, input_tokens: input, output_tokens: output, input_tokens_details: { text_tokens: input, image_tokens: 0 } },
  });
}

export const imageRoutes: Route[] = [
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
