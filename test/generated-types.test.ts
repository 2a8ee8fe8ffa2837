import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { GENERATED_DIR, REPO_ROOT, generateTypes, listSchemas, outputPathOf } from '../scripts/gen-types.js';

const FIX = 'run `npm run gen:types`';

let generation: Promise<Map<string, string>> | undefined;
/** The declarations of the real schemas/ folder, generated once for all tests. */
function generated(): Promise<Map<string, string>> {
  return (generation ??= generateTypes());
}

test('every generated type file equals the committed one', async () => {
  for (const [file, code] of await generated()) {
    const onDisk = path.join(REPO_ROOT, file);
    expect(existsSync(onDisk), `${file} is missing: ${FIX}`).toBe(true);
    expect(readFileSync(onDisk, 'utf8'), `${file} is stale: ${FIX}`).toBe(code);
  }
});

test('every schema has a generated type file', async () => {
  const files = await generated();
  for (const schema of await listSchemas(path.join(REPO_ROOT, 'schemas'))) {
    const file = outputPathOf(schema);
    expect(files.has(file), `no output for ${path.relative(REPO_ROOT, schema)}`).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, file)), `${file} is missing: ${FIX}`).toBe(true);
  }
});

test('no generated type file is left over from a schema that is gone', async () => {
  const files = await generated();
  const dir = path.join(REPO_ROOT, GENERATED_DIR);
  const onDisk = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.d.ts')) : [];
  for (const name of onDisk) {
    expect(files.has(`${GENERATED_DIR}/${name}`), `${GENERATED_DIR}/${name} has no schema: ${FIX}`).toBe(true);
  }
});

test('the generator resolves relative $refs between schema files and gives the same bytes on every run', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'gen-types-'));
  try {
    mkdirSync(path.join(root, 'wire'));
    const write = (file: string, schema: object) => writeFileSync(path.join(root, file), JSON.stringify(schema));
    write('wire/usage.schema.json', {
      $id: 'https://example.test/schemas/wire/usage.schema.json',
      type: 'object',
      required: ['total_tokens'],
      properties: { total_tokens: { type: 'integer' } },
    });
    write('wire/tool-call.schema.json', {
      $ref: '#/$defs/call', // a root $ref: json-schema-ref-parser needs the generator's workaround
      $defs: {
        call: { type: 'object', properties: { id: { type: 'string' } } },
        delta: { type: 'object', required: ['index'], properties: { index: { type: 'integer' } } },
      },
    });
    write('wire/chunk.schema.json', {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string' },
        tool_calls: { type: 'array', items: { $ref: 'tool-call.schema.json#/$defs/delta' } },
        usage: { $ref: 'usage.schema.json' },
      },
    });
    write('own.schema.json', {
      type: 'object',
      additionalProperties: false,
      required: ['level'],
      properties: { level: { enum: ['must', 'should'] } },
    });

    const first = await generateTypes(root);
    expect([...first.keys()]).toEqual([
      `${GENERATED_DIR}/chunk.d.ts`,
      `${GENERATED_DIR}/own.d.ts`,
      `${GENERATED_DIR}/tool-call.d.ts`,
      `${GENERATED_DIR}/usage.d.ts`,
    ]);
    const chunk = first.get(`${GENERATED_DIR}/chunk.d.ts`)!;
    expect(chunk).toContain('wire/chunk.schema.json.');
    expect(chunk).toContain('npm run gen:types');
    expect(chunk).toMatch(/export interface Chunk \{[^}]*tool_calls\?: Delta\[\];[^}]*usage\?: Usage;/);
    expect(chunk).toMatch(/export interface Usage \{\s*total_tokens: number;/);
    expect(first.get(`${GENERATED_DIR}/tool-call.d.ts`)).toMatch(/export interface Delta \{\s*index: number;/);
    expect(first.get(`${GENERATED_DIR}/own.d.ts`)).toMatch(/export interface Own \{\s*level: "must" \| "should";\s*\}/);

    expect(await generateTypes(root)).toEqual(first);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
