import { jpegSize } from '../../media/jpeg.js';
import { pngSize, sniffImage } from '../../media/png.js';
import type { Finding } from '../../core/types.js';
import { described, finding, noAnswer, valueOf } from '../answer.js';
import { invariant } from '../types.js';

type Json = Record<string, unknown>;

/** Width and height of a PNG or JPEG (the formats whose size can be read here); null otherwise. */
function imageSize(bytes: Buffer): { width: number; height: number } | null {
  return pngSize(bytes) ?? jpegSize(bytes);
}

/** One generated image: the form response_format asked for, real image bytes, the requested size. */
function imageFindings(item: Json, i: number, format: unknown, size: { width: number; height: number } | undefined): Finding[] {
  const at = `/data/${i}`;
  const findings: Finding[] = [];
  if (item.revised_prompt !== undefined && item.revised_prompt !== null && typeof item.revised_prompt !== 'string') {
    findings.push(finding(`${at}/revised_prompt`, 'a string, when present', item.revised_prompt, 'must'));
  }
  if (format === 'url' || (format === undefined && typeof item.url === 'string' && item.b64_json === undefined)) {
    const ok = typeof item.url === 'string' && /^https?:\/\//.test(item.url);
    if (!ok) findings.push(finding(`${at}/url`, 'an http(s) URL of the image (response_format url)', item.url, 'must'));
    return findings;
  }
  if (typeof item.b64_json !== 'string') return [...findings, finding(`${at}/b64_json`, 'base64 image data (response_format b64_json)', item.b64_json, 'must')];
  const bytes = Buffer.from(item.b64_json, 'base64');
  if (!sniffImage(bytes)) return [...findings, finding(`${at}/b64_json`, 'a PNG, JPEG, GIF or WebP image', described(`${item.b64_json.slice(0, 24)}...`), 'must', 'the decoded bytes are not an image')];
  const got = imageSize(bytes);
  if (size && got && (got.width !== size.width || got.height !== size.height)) {
    findings.push(finding(`${at}/b64_json`, `a ${size.width}x${size.height} image (the requested size)`, described(`${got.width}x${got.height}`), 'must'));
  }
  return findings;
}

export const imageData = invariant(
  'semantic.image-data',
  'Every image generation: n images, each in the form response_format asked for: b64_json decoding to a real PNG, JPEG, GIF or WebP of the requested size, or an http(s) url; revised_prompt a string when present.',
  (ctx) => !ctx.expectError && ctx.exchange.operation === 'images.generate',
  ({ exchange }) => {
    const data = (valueOf(exchange) as Json | undefined)?.data;
    if (!Array.isArray(data)) return noAnswer();
    const n = (exchange.params.n as number | undefined) ?? 1;
    const match = typeof exchange.params.size === 'string' ? /^(\d+)x(\d+)$/.exec(exchange.params.size) : null;
    const size = match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
    const findings: Finding[] = [];
    if (data.length !== n) findings.push(finding('/data', `${n} image(s)`, described(`${data.length}`), 'must'));
    (data as Json[]).forEach((item, i) => findings.push(...imageFindings(item ?? {}, i, exchange.params.response_format, size)));
    return findings;
  },
);
