import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECK_IDS } from '../src/checks/index.js';
import { builtinTargets } from '../src/cli/targets.js';
import { loadExpectations } from '../src/expectations/apply.js';
import { cli } from './support/cli.js';
import { CASES, ROOT } from './support/env.js';

const TARGET_IDS = readdirSync(path.join(ROOT, 'targets')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();

describe('built-in targets', () => {
  test('there is one for each vendor the suite documents', () => {
    expect(TARGET_IDS).toEqual(['deepseek', 'gemini', 'groq', 'litellm', 'llama-cpp', 'mistral', 'ollama', 'openai', 'openrouter', 'reference', 'vllm']);
  });

  test.for(builtinTargets().map((t) => ({ id: t.id, target: t })))('$id: valid, a model per role it claims, every claim documented or explained', ({ target }) => {
    expect(target.models.chat).toBeTruthy();
    for (const [feature, claim] of Object.entries(target.claims)) {
      expect(claim.doc ?? claim.note, `${target.id} claims.${feature}`).toBeTruthy();
    }
    // None of the vendor targets offers Google's extensions; only Gemini (and the reference server, which emulates them).
    if (!['gemini', 'reference'].includes(target.id)) expect(target.extensions).toEqual([]);
  });

  test.for(TARGET_IDS.filter((id) => existsSync(path.join(ROOT, 'expectations', `${id}.yaml`))))('expectations/%s.yaml names real cases, steps and checks, each with a link', (id) => {
    const loaded = loadExpectations(path.join(ROOT, 'expectations', `${id}.yaml`), `expectations/${id}.yaml`, {
      targetId: id,
      caseIds: new Set(CASES.map((c) => c.id)),
      checkIds: CHECK_IDS,
      stepIds: new Map(CASES.map((c) => [c.id, c.steps.map((s) => s.id)])),
    });
    expect(loaded.length).toBeGreaterThan(0);
    for (const e of loaded) expect(e.link).toMatch(/^https:\/\//);
  });

  test('oai-compat targets lists every one', async () => {
    const run = await cli(['targets']);
    expect(run.code).toBe(0);
    for (const id of TARGET_IDS) expect(run.stdout).toMatch(new RegExp(`^${id} `, 'm'));
    expect(run.stdout).toContain('key in $OPENROUTER_API_KEY');
  });
});
