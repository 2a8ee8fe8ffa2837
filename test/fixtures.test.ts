import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CHECK_IDS, CHECK_VOCABULARY } from '../src/checks/index.js';
import { ConfigError } from '../src/core/errors.js';
import { FEATURE_IDS } from '../src/core/types.js';
import { listMedia, loadFixtures, loadVocabulary } from '../src/fixtures/load.js';
import { resolveTemplates, templatePaths } from '../src/fixtures/template.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');
const options = (dir: string) => ({ ...CHECK_VOCABULARY, mediaNames: new Set(listMedia(dir)) });

describe('the fixtures in the repository', () => {
  const cases = loadFixtures(FIXTURES, options(FIXTURES));

  test('every feature id has at least one case', () => {
    for (const feature of FEATURE_IDS) expect(cases.filter((c) => c.feature === feature).length, feature).toBeGreaterThan(0);
  });

  test('case ids are unique and every case cites the Gemini page', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) expect(c.doc.url, c.id).toMatch(/^https:\/\/ai\.google\.dev\/gemini-api\/docs\/openai/);
  });

  test('chat cases run blocking and streaming unless they say otherwise', () => {
    expect(cases.find((c) => c.id === 'chat-system-user')?.transports).toEqual(['blocking', 'streaming']);
    expect(cases.find((c) => c.id === 'embeddings-single-input')?.transports).toEqual(['blocking']);
  });
});

describe('a malformed fixture is rejected with the file, case and field', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function withFixture(file: string, edit: (text: string) => string): () => unknown {
    dir = mkdtempSync(path.join(os.tmpdir(), 'oai-fixtures-'));
    cpSync(FIXTURES, dir, { recursive: true });
    const target = path.join(dir, file);
    writeFileSync(target, edit(readFileSync(target, 'utf8')));
    return () => loadFixtures(dir, options(dir));
  }

  const rejects = (load: () => unknown, ...parts: (string | RegExp)[]) => {
    let error: unknown;
    try {
      load();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const part of parts) expect((error as Error).message).toMatch(part);
  };

  test('an unknown operation names the field and the allowed values', () => {
    rejects(withFixture('chat/basic.yaml', (t) => t.replace('call: chat.completions.create', 'call: chat.complete')), 'fixtures/chat/basic.yaml', '(case "chat-system-user")/steps/0/call', 'chat.completions.create');
  });

  test('an unknown field is named', () => {
    rejects(withFixture('chat/basic.yaml', (t) => t.replace('    description:', '    descripton: typo\n    description:')), 'fixtures/chat/basic.yaml', /cases\/0 \(case "chat-system-user"\)/, 'descripton');
  });

  test('an unknown check lists the known ones', () => {
    rejects(withFixture('chat/basic.yaml', (t) => t.replace('- semantic.assistant-content', '- semantic.nope')), 'case "chat-system-user"', 'unknown check "semantic.nope"', 'semantic.assistant-content');
  });

  test('a template that reads a later step is refused', () => {
    rejects(withFixture('tools/function-calling.yaml', (t) => t.replace('{{steps.call.response.choices.0.message}}', '{{steps.answer.response.choices.0.message}}')), 'case "tools-round-trip"', 'refers to step "answer"');
  });

  test('unknown media is refused with the available names', () => {
    rejects(withFixture('vision/image-data-url.yaml', (t) => t.replace('media.red-square', 'media.blue-circle')), 'unknown media "blue-circle"', 'red-square');
  });

  test('a duplicate case id is refused', () => {
    rejects(withFixture('chat/basic.yaml', (t) => t.replace('id: chat-system-user', 'id: streaming-hello')), 'case id "streaming-hello" is already used');
  });

  test('a file in the wrong feature folder is refused', () => {
    rejects(withFixture('chat/basic.yaml', (t) => t.replace('feature: chat', 'feature: tools')), 'field /feature is "tools"', 'fixtures/chat/');
  });

  test('an unknown extension in needs lists the known ones', () => {
    rejects(withFixture('extra-body/thinking-config.yaml', (t) => t.replace('needs: [google-thinking-config]', 'needs: [google-thinkin-config]')), 'case "extra-body-include-thoughts"', 'unknown extension "google-thinkin-config"', 'google-thinking-config');
  });

  test('only an automatic check can be waived, and only with a reason', () => {
    rejects(
      withFixture('chat/basic.yaml', (t) => t.replace('        checks:', '        waive: [{ check: semantic.assistant-content, reason: not an automatic one }]\n        checks:')),
      'case "chat-system-user"',
      '"semantic.assistant-content" is not an automatic check',
    );
    rejects(withFixture('chat/basic.yaml', (t) => t.replace('        checks:', '        waive: [{ check: semantic.stream-usage }]\n        checks:')), 'waive/0', 'reason');
  });

  test('invalid YAML names the line', () => {
    rejects(withFixture('chat/basic.yaml', (t) => `${t}\n  - : [unclosed\n`), 'fixtures/chat/basic.yaml', 'invalid YAML at line');
  });
});

describe('templates', () => {
  const ctx = { model: { chat: 'm1' }, steps: { a: { response: { choices: [{ message: { role: 'assistant', content: null } }] } } } };

  test('a whole-string template keeps the value type', () => {
    expect(resolveTemplates({ m: '{{steps.a.response.choices.0.message}}' }, ctx)).toEqual({ m: { role: 'assistant', content: null } });
  });

  test('a template inside text is interpolated', () => {
    expect(resolveTemplates(['model {{ model.chat }}!'], ctx)).toEqual(['model m1!']);
  });

  test('a missing path is an error naming it', () => {
    expect(() => resolveTemplates('{{model.vision}}', ctx)).toThrow('{{model.vision}} does not resolve: no "vision"');
  });

  test('template paths are found anywhere in the data', () => {
    expect(templatePaths({ a: ['x {{model.chat}}', { b: '{{steps.a.response}}' }] })).toEqual(['model.chat', 'steps.a.response']);
  });
});

describe('fixtures/README.md', () => {
  test('documents every check', () => {
    const readme = readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
    expect([...CHECK_IDS].filter((id) => !readme.includes(`| \`${id}\` |`))).toEqual([]);
  });

  test('lists every case and every extension', () => {
    const readme = readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
    expect(loadFixtures(FIXTURES, options(FIXTURES)).map((c) => c.id).filter((id) => !readme.includes(`| \`${id}\` |`))).toEqual([]);
    expect(Object.keys(loadVocabulary(FIXTURES).extensions).filter((id) => !readme.includes(`| \`${id}\` |`))).toEqual([]);
  });
});
