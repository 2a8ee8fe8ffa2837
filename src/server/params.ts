import { invalid } from './errors.js';
import type { Obj } from './stages.js';

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireBody(json: unknown): Obj {
  if (!isObject(json)) throw invalid('The request body must be a JSON object.');
  return json;
}

export function requireString(body: Obj, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || !value) throw invalid(`Missing required parameter: '${key}'.`, key, 'missing_required_parameter');
  return value;
}

export function optionalInt(body: Obj, key: string, min: number, max: number, fallback: number): number {
  const value = body[key] ?? fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw invalid(`Invalid '${key}': expected an integer from ${min} to ${max}.`, key, 'invalid_value');
  }
  return value as number;
}

export function optionalEnum<T extends string>(body: Obj, key: string, values: readonly T[], fallback: T): T {
  const value = body[key] ?? fallback;
  if (!values.includes(value as T)) {
    throw invalid(`Invalid '${key}': expected one of ${values.map((v) => `'${v}'`).join(', ')}.`, key, 'invalid_value');
  }
  return value as T;
}
