import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Finding } from '../../core/types.js';
import { finding } from '../answer.js';

// Schemas here come from the request (a tool's parameters, a response_format), written by
// fixture authors for vendors, not by us: compile leniently, but report every violation.
const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, validateFormats: false });
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

/** Validates `value` against a JSON Schema taken from the request; `base` prefixes the paths. */
export function validateAgainst(schema: unknown, value: unknown, base: string): Finding[] {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = ajv.compile(schema as object)));
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e: { instancePath: string; keyword: string; message?: string; data?: unknown }) =>
    finding(`${base}${e.instancePath}`, `${e.keyword}: ${e.message ?? ''}`.trim(), e.keyword === 'required' ? undefined : e.data, 'must', 'the requested JSON Schema'),
  );
}
