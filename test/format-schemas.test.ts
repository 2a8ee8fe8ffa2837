import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, test } from 'vitest';
import { validateFormat } from '../src/schema/registry.js';
import { ROOT } from './support/env.js';

const yaml = (file: string) => parseYaml(readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;
const paths = (schema: string, value: unknown) => validateFormat(schema, value).map((f) => f.path);

describe('target files', () => {
  test.for(['reference', 'gemini', 'openai'])('targets/%s.yaml is valid', (name) => {
    expect(validateFormat('target.schema.json', yaml(`targets/${name}.yaml`))).toEqual([]);
  });

  const gemini = yaml('targets/gemini.yaml');
  test.for([
    { name: 'no key variable', value: { ...gemini, auth: {} }, path: '/auth/env' },
    { name: 'a key written into the file', value: { ...gemini, auth: { env: 'GEMINI_API_KEY', key: 'AIza...' } }, path: '/auth/key' },
    { name: 'a base URL that is not http(s)', value: { ...gemini, base_url: 'generativelanguage.googleapis.com' }, path: '/base_url' },
    { name: 'an unknown model role', value: { ...gemini, models: { chatt: 'x' } }, path: '/models' },
    { name: 'partial support without a note', value: { ...gemini, claims: { batch: { supported: 'partial' } } }, path: '/claims/batch/note' },
  ])('is refused with $name', ({ value, path: where }) => {
    expect(paths('target.schema.json', value)).toContain(where);
  });
});

describe('the feature vocabulary', () => {
  test('fixtures/features.yaml is valid', () => {
    expect(validateFormat('features.schema.json', yaml('fixtures/features.yaml'))).toEqual([]);
  });

  test('a feature without a citation is refused', () => {
    const features = yaml('fixtures/features.yaml');
    const value = { ...features, features: { ...(features.features as object), chat: { title: 'Chat' } } };
    expect(paths('features.schema.json', value)).toEqual(expect.arrayContaining(['/features/chat/sections', '/features/chat/url']));
  });
});
