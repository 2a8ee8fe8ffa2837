import { isObject } from './params.js';
import type { Obj } from './stages.js';

/**
 * A deterministic JSON value valid against a JSON Schema: what the reference model "answers" for
 * tool arguments and structured output. Covers the subset tools and response formats use (types,
 * properties/required, enum/const, items, anyOf/oneOf/allOf, local $ref, string formats, bounds).
 */
export function instanceOf(schema: unknown, variant = 0): unknown {
  return generate(schema, { root: schema, variant }, '', 0);
}

/** The whole schema (for local $refs) and which of several distinct instances to make (parallel tool calls). */
interface Scope {
  root: unknown;
  variant: number;
}

/** Optional properties are filled in down to this depth, so recursive schemas stay finite. */
const OPTIONAL_DEPTH = 3;

function generate(schema: unknown, scope: Scope, key: string, depth: number): unknown {
  if (!isObject(schema)) return {};
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (typeof schema.$ref === 'string') return generate(resolveRef(scope.root, schema.$ref), scope, key, depth + 1);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length) {
    const pick = alternatives.find((s) => !(isObject(s) && s.type === 'null')) ?? alternatives[0];
    return generate(pick, scope, key, depth);
  }
  if (Array.isArray(schema.allOf)) return generate(mergeAll(schema, schema.allOf), scope, key, depth);

  switch (typeOf(schema)) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const keys = depth < OPTIONAL_DEPTH ? [...new Set([...Object.keys(properties), ...required])] : required;
      return Object.fromEntries(keys.map((k) => [k, generate(properties[k] ?? { type: 'string' }, scope, k, depth + 1)]));
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
      const length = typeof schema.maxItems === 'number' ? Math.min(Math.max(min, 1), schema.maxItems) : Math.max(min, 1);
      const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
      return Array.from({ length }, (_, i) => generate(prefix[i] ?? schema.items ?? {}, scope, key, depth + 1));
    }
    case 'string':
      return stringFor(schema, key, scope.variant);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return true;
    default:
      return null;
  }
}

function typeOf(schema: Obj): unknown {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') ?? 'null';
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  if (schema.items || schema.prefixItems) return 'array';
  return 'string';
}

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return {};
  return ref
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, segment) => (isObject(node) ? node[segment] : undefined), root);
}

/** allOf members folded into one object schema (properties and required merged). */
function mergeAll(schema: Obj, parts: unknown[]): Obj {
  const { allOf: _, ...rest } = schema;
  return parts.filter(isObject).reduce<Obj>(
    (acc, part) => ({
      ...acc,
      ...part,
      properties: { ...(acc.properties as Obj), ...(part.properties as Obj) },
      required: [...((acc.required as string[]) ?? []), ...((part.required as string[]) ?? [])],
    }),
    rest,
  );
}

const FORMATS: Record<string, string> = {
  'date-time': '2025-01-01T00:00:00Z',
  date: '2025-01-01',
  time: '12:00:00Z',
  email: 'ada@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
};

const PLACES = ['Paris', 'Tokyo', 'Chicago'];

function stringFor(schema: Obj, key: string, variant: number): string {
  let value =
    FORMATS[schema.format as string] ??
    (/city|location|place|address/i.test(key) ? PLACES[variant % PLACES.length]! : /name/i.test(key) ? 'Ada Lovelace' : `example ${key || 'text'}`);
  if (typeof schema.maxLength === 'number') value = value.slice(0, schema.maxLength);
  if (typeof schema.minLength === 'number') value = value.padEnd(schema.minLength, 'x');
  return value;
}

function numberFor(schema: Obj, integer: boolean): number {
  const step = integer ? 1 : 0.5;
  const min = num(schema.minimum) ?? (num(schema.exclusiveMinimum) !== undefined ? num(schema.exclusiveMinimum)! + step : undefined);
  const max = num(schema.maximum) ?? (num(schema.exclusiveMaximum) !== undefined ? num(schema.exclusiveMaximum)! - step : undefined);
  let value = Math.min(Math.max(1, min ?? 1), max ?? Infinity);
  if (integer) value = Math.ceil(value) <= (max ?? Infinity) ? Math.ceil(value) : Math.floor(value);
  const multiple = num(schema.multipleOf);
  if (multiple) value = Math.ceil(value / multiple) * multiple;
  return value;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
