import { sniffImage } from '../../media/png.js';
import type { Finding } from '../../core/types.js';
import { finding, noAnswer, valueOf } from '../answer.js';
import type { CheckDef } from '../types.js';

type Json = Record<string, unknown>;

export const embeddings: CheckDef = {
  id: 'semantic.embeddings',
  level: 'semantic',
  severity: 'must',
  description: 'One vector per input, in order, all of one length (params.dimensions, when the request set dimensions).',
  auto: false,
  appliesTo: (ctx) => !ctx.expectError,
  run({ exchange }) {
    const value = valueOf(exchange) as Json | undefined;
    if (!Array.isArray(value?.data)) return noAnswer();
    const data = value.data as Json[];
    const input = exchange.params.input;
    const inputs = Array.isArray(input) && typeof input[0] !== 'number' ? input.length : 1;
    const findings: Finding[] = [];
    if (data.length !== inputs) findings.push(finding('/data', `${inputs} embedding(s), one per input`, `${data.length}`, 'must'));
    const wanted = exchange.params.dimensions as number | undefined;
    const firstLength = (data[0]?.embedding as unknown[] | undefined)?.length;
    data.forEach((item, i) => {
      const vector = item.embedding;
      if (item.index !== i) findings.push(finding(`/data/${i}/index`, String(i), item.index, 'must'));
      if (!Array.isArray(vector) || vector.length === 0 || !vector.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        findings.push(finding(`/data/${i}/embedding`, 'a non-empty array of finite numbers', vector, 'must'));
      } else if (wanted !== undefined && vector.length !== wanted) {
        findings.push(finding(`/data/${i}/embedding`, `${wanted} dimensions (as requested)`, `${vector.length} dimensions`, 'must'));
      } else if (vector.length !== firstLength) {
        findings.push(finding(`/data/${i}/embedding`, `${firstLength} dimensions, like /data/0`, `${vector.length} dimensions`, 'must'));
      }
    });
    return findings;
  },
};

export const imageData: CheckDef = {
  id: 'semantic.image-data',
  level: 'semantic',
  severity: 'must',
  description: 'n images come back, each b64_json decoding to a real PNG, JPEG, GIF or WebP.',
  auto: false,
  appliesTo: (ctx) => !ctx.expectError,
  run({ exchange }) {
    const value = valueOf(exchange) as Json | undefined;
    if (!Array.isArray(value?.data)) return noAnswer();
    const data = value.data as Json[];
    const n = (exchange.params.n as number | undefined) ?? 1;
    const findings: Finding[] = [];
    if (data.length !== n) findings.push(finding('/data', `${n} image(s)`, `${data.length}`, 'must'));
    data.forEach((item, i) => {
      if (typeof item.b64_json !== 'string') {
        findings.push(finding(`/data/${i}/b64_json`, 'base64 image data (response_format b64_json)', item.b64_json, 'must'));
        return;
      }
      const kind = sniffImage(Buffer.from(item.b64_json, 'base64'));
      if (!kind) findings.push(finding(`/data/${i}/b64_json`, 'a PNG, JPEG, GIF or WebP image', `${item.b64_json.slice(0, 24)}...`, 'must', 'the decoded bytes are not an image'));
    });
    return findings;
  },
};
