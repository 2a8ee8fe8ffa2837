/**
 * Every JSON Schema under schemas/ in one Ajv instance, and validation that answers in
 * Findings. schemas/wire/ describes the objects OpenAI-compatible APIs send; the other files
 * describe oai-compat's own file formats (fixtures, targets, reports).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Finding } from '../core/types.js';

export const WIRE_SCHEMA_NAMES = [
  'chat-completion',
  'chat-completion-chunk',
  'tool-call',
  'usage',
  'embeddings-response',
  'model',
  'model-list',
  'file',
  'batch',
  'batch-input-line',
  'batch-output-line',
  'images-response',
  'batch-list',
  'error',
] as const;
export type WireSchemaName = (typeof WIRE_SCHEMA_NAMES)[number];

const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));
const MAX_RECEIVED = 80;

/** Schema files relative to schemas/, with `/` separators (e.g. `wire/model.schema.json`). */
export function listSchemaFiles(): string[] {
  return readdirSync(SCHEMA_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.schema.json'))
    .map((file) => file.split(sep).join('/'))
    .sort();
}

export function validateWire(name: WireSchemaName, value: unknown): Finding[] {
  return validateFormat(`wire/${name}.schema.json`, value);
}

/** Validates against any schema file under schemas/, named as listSchemaFiles() names it. */
export function validateFormat(schemaFileName: string, value: unknown): Finding[] {
  // getSchema compiles on first use and keeps the compiled function.
  const validate = registry().getSchema(schemaFileName);
  if (!validate) throw new Error(`No schema "${schemaFileName}" in ${SCHEMA_DIR}`);
  return validate(value) ? [] : toFindings(validate.errors ?? []);
}

let ajv: Ajv2020.default | undefined;

/** Every file is added up front (cheap: no compilation) so relative `$ref`s between them resolve. */
function registry(): Ajv2020.default {
  if (!ajv) {
    ajv = new Ajv2020.default({
      strict: true,
      // Conditional subschemas (if/then, not) legitimately require or constrain properties
      // that the parent declares; these two strict checks reject that idiom.
      strictRequired: false,
      strictTypes: false,
      allErrors: true,
      verbose: true, // errors carry the data and parent schema that findings are built from
    });
    addFormats.default(ajv);
    for (const file of listSchemaFiles()) {
      ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')), file);
    }
  }
  return ajv;
}

function toFindings(errors: ErrorObject[]): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const error of collapseBranches(errors)) {
    // A failed if/then/else also reports the failing branch's own errors, which say more.
    if (error.keyword === 'if') continue;
    const finding = toFinding(error);
    const key = `${finding.path}\n${finding.expected}\n${finding.note}`;
    if (!seen.has(key)) {
      seen.add(key);
      findings.push(finding);
    }
  }
  return findings;
}

/**
 * Ajv reports a failed anyOf/oneOf right after the errors of all its branches. Branches whose
 * type does not fit the value are dropped (a string is not "wrong" for the array branch, it
 * just chose another branch); when no branch fits, the alternatives become one type error.
 */
function collapseBranches(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') {
      out.push(error);
      continue;
    }
    let start = out.length;
    while (start > 0 && isBranchError(out[start - 1], error)) start--;
    const branches = out.splice(start);
    const misfits = branches.filter((e) => e.keyword === 'type' && e.instancePath === error.instancePath);
    const rest = branches.filter((e) => !misfits.includes(e));
    if (Array.isArray(error.params.passingSchemas) || branches.length === 0) {
      out.push(error); // oneOf matched several branches: that is the whole story
    } else if (rest.length > 0) {
      out.push(...rest);
    } else {
      out.push({ ...error, params: { type: misfits.flatMap((e) => typeList(e.params.type)) } });
    }
  }
  return out;
}

/** Inside the anyOf's value, and not an error of a sibling keyword of the same schema object. */
function isBranchError(candidate: ErrorObject, anyOf: ErrorObject): boolean {
  const inside =
    candidate.instancePath === anyOf.instancePath || candidate.instancePath.startsWith(`${anyOf.instancePath}/`);
  const parent = anyOf.schemaPath.slice(0, anyOf.schemaPath.lastIndexOf('/'));
  const sibling = candidate.schemaPath.startsWith(`${parent}/`) && !candidate.schemaPath.startsWith(`${anyOf.schemaPath}/`);
  return inside && !sibling;
}

const pointerPart = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

function toFinding(error: ErrorObject): Finding {
  // Name an unknown key itself, so a typo is found at once.
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
    const key = String(error.params.additionalProperty ?? error.params.unevaluatedProperty);
    const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
    return {
      path: `${error.instancePath}/${pointerPart(key)}`,
      expected: allowed.length > 0 ? `a known field (${allowed.join(', ')})` : 'no such field',
      received: `unknown field ${JSON.stringify(key)}`,
      severity: 'must',
      note: error.keyword,
    };
  }
  if (error.keyword === 'propertyNames') {
    const key = String(error.params.propertyName);
    return { path: `${error.instancePath}/${pointerPart(key)}`, expected: 'a known name', received: `unknown name ${JSON.stringify(key)}`, severity: 'must', note: error.keyword };
  }
  if (error.keyword === 'required') {
    const property = String(error.params.missingProperty);
    const propertySchema: unknown = error.parentSchema?.properties?.[property];
    return {
      path: `${error.instancePath}/${pointerPart(property)}`,
      expected: 'property present',
      received: '(missing)',
      // Omitting a field the schema allows to be null is the "absent vs null" habit of some vendors.
      severity: acceptsNull(propertySchema) ? 'should' : 'must',
      note: 'required',
    };
  }
  return {
    path: error.instancePath,
    expected: describeExpected(error),
    received: render(error.data),
    severity: 'must',
    note: error.keyword,
  };
}

function describeExpected(error: ErrorObject): string {
  const { params } = error;
  if (params.type !== undefined) return [...new Set(typeList(params.type))].join(' or ');
  switch (error.keyword) {
    case 'enum':
      return `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(',')}`;
    case 'const':
      return JSON.stringify(params.allowedValue);
    case 'format':
      return `format "${params.format}"`;
    default:
      return error.message ?? error.keyword;
  }
}

/** Ajv gives a type error's types as a string, an array, or a comma-joined string. */
function typeList(type: unknown): string[] {
  return [type].flat().flatMap((t) => String(t).split(','));
}

/** Only explicit nullability counts (type, enum, const, anyOf/oneOf branch); `$ref`s are not followed. */
function acceptsNull(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const s = schema as Record<string, unknown>;
  return (
    [s.type].flat().includes('null') ||
    s.const === null ||
    (Array.isArray(s.enum) && s.enum.includes(null)) ||
    [s.anyOf, s.oneOf].some((branches) => Array.isArray(branches) && branches.some(acceptsNull))
  );
}

function render(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value);
  return text.length > MAX_RECEIVED ? `${text.slice(0, MAX_RECEIVED - 1)}…` : text;
}
