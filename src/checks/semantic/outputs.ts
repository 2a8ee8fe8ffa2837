import { sniffImage } from '../../media/png.js';
import type { Exchange, Finding } from '../../core/types.js';
import { described, finding, noAnswer, valueOf } from '../answer.js';
import { semanticCheck } from '../types.js';

type Json = Record<string, unknown>;

/** `data[]` of a list answer (embeddings, images), as the app got it. */
function dataOf(exchange: Exchange): Json[] | undefined {
  const data = (valueOf(exchange) as Json | undefined)?.data;
  return Array.isArray(data) ? (data as Json[]) : undefined;
}

export const embeddings = semanticCheck('semantic.embeddings', 'One vector per input, in order, all of one length (the requested dimensions, when the request sets them).', ({ exchange }) => {
  const data = dataOf(exchange);
  if (!data) return noAnswer();
  const input = exchange.params.input;
  const inputs = Array.isArray(input) && typeof input[0] !== 'number' ? input.length : 1;
  const findings: Finding[] = [];
  if (data.length !== inputs) findings.push(finding('/data', `${inputs} embedding(s), one per input`, described(`${data.length}`), 'must'));
  const wanted = exchange.params.dimensions as number | undefined;
  const firstLength = (data[0]?.embedding as unknown[] | undefined)?.length;
  data.forEach((item, i) => {
    const vector = item.embedding;
    if (item.index !== i) findings.push(finding(`/data/${i}/index`, String(i), item.index, 'must'));
    if (!Array.isArray(vector) || vector.length === 0 || !vector.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      findings.push(finding(`/data/${i}/embedding`, 'a non-empty array of finite numbers', vector, 'must'));
    } else if (wanted !== undefined && vector.length !== wanted) {
      findings.push(finding(`/data/${i}/embedding`, `${wanted} dimensions (as requested)`, described(`${vector.length} dimensions`), 'must'));
    } else if (vector.length !== firstLength) {
      findings.push(finding(`/data/${i}/embedding`, `${firstLength} dimensions, like /data/0`, described(`${vector.length} dimensions`), 'must'));
    }
  });
  return findings;
});

export const imageData = semanticCheck('semantic.image-data', 'n images come back, each b64_json decoding to a real PNG, JPEG, GIF or WebP.', ({ exchange }) => {
  const data = dataOf(exchange);
  if (!data) return noAnswer();
  const n = (exchange.params.n as number | undefined) ?? 1;
  const findings: Finding[] = [];
  if (data.length !== n) findings.push(finding('/data', `${n} image(s)`, described(`${data.length}`), 'must'));
  data.forEach((item, i) => {
    if (typeof item.b64_json !== 'string') {
      findings.push(finding(`/data/${i}/b64_json`, 'base64 image data (response_format b64_json)', item.b64_json, 'must'));
      return;
    }
    const kind = sniffImage(Buffer.from(item.b64_json, 'base64'));
    if (!kind) findings.push(finding(`/data/${i}/b64_json`, 'a PNG, JPEG, GIF or WebP image', described(`${item.b64_json.slice(0, 24)}...`), 'must', 'the decoded bytes are not an image'));
  });
  return findings;
});
