import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckResult } from '../src/core/types.js';
import { buildReport } from '../src/report/build.js';
import { renderHtml } from '../src/report/render-html.js';
import { writeReport } from '../src/report/write.js';
import { launchChromium } from './support/browser.js';

function r(over: Partial<CheckResult>): CheckResult {
  return { target: 'gemini', model: 'gemini-2.5-flash', feature: 'chat', case: 'chat-basic', step: 'ask', check: 'schema.chat-completion', level: 'schema', severity: 'must', transport: 'blocking', status: 'pass', message: 'ok', durationMs: 3, ...over };
}

const REPORT = buildReport({
  tool: { name: 'oai-compat', version: '0.1.0' },
  startedAt: '2025-06-01T10:00:00.000Z',
  finishedAt: '2025-06-01T10:02:30.000Z',
  targets: [
    { id: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', mode: 'replay', models: { chat: 'gemini-2.5-flash', embedding: 'text-embedding-004' } },
    { id: 'openai', baseUrl: 'https://api.openai.com/v1', mode: 'replay', models: { chat: 'gpt-4o-mini' }, claims: { tools: { supported: true, doc: 'https://platform.openai.com/docs/guides/function-calling' } } },
  ],
  provenance: { node: 'v20.18.1', openai: '6.49.0', fixtures: { digest: `sha256:${'ab'.repeat(32)}`, cases: 4 } },
  cases: {
    'chat-basic': { feature: 'chat', description: 'A user message gets an assistant answer', doc: { section: 'Chat completions', url: 'https://ai.google.dev/gemini-api/docs/openai#chat' } },
    'tools-forced': { feature: 'tools', description: 'A forced tool call <b>names</b> the tool', doc: { section: 'Function calling', url: 'https://ai.google.dev/gemini-api/docs/openai#function-calling' } },
  },
  results: [
    r({}),
    r({ check: 'schema.refusal', severity: 'should', status: 'warn', message: 'refusal omitted' }),
    r({ target: 'openai', model: 'gpt-4o-mini' }),
    r({ target: 'openai', model: 'gpt-4o-mini', transport: 'streaming', check: 'semantic.stream-agrees', level: 'semantic', status: 'fail', message: 'finish_reason differs', findings: [{ path: '/choices/0/finish_reason', expected: '"stop"', received: 'null', severity: 'must' }] }),
    r({ feature: 'tools', case: 'tools-forced', check: 'sdk.stream-reassembly', status: 'xfail', message: 'index missing', expectation: 'https://issuetracker.example/123' }),
    r({ target: 'openai', model: 'gpt-4o-mini', feature: 'tools', case: 'tools-forced', check: 'schema.tool-call', status: 'fail', message: 'tool_calls missing', findings: [{ path: '/choices/0/message/tool_calls', expected: 'an array of tool calls', received: '(missing)', severity: 'must' }] }),
    r({ feature: 'embeddings', model: 'text-embedding-004', case: 'emb-basic', check: 'wire.status', level: 'wire', status: 'error', message: 'timeout after 30000 ms' }),
  ],
});

describe('report.html in headless Chromium', () => {
  let tmp: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'oai-html-'));
    const { html } = await writeReport(REPORT, tmp);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(html).href);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const row = (feature: string) => page.locator(`table.matrix`).first().locator(`tr[data-feature="${feature}"]`);

  test('renders the header and the matrix feature x target, with status words', async () => {
    expect(await page.locator('header').innerText()).toContain('oai-compat 0.1.0, openai SDK 6.49.0, Node v20.18.1');
    expect(await page.locator('header').innerText()).toContain(`sha256:${'ab'.repeat(32)} (4 cases)`);
    expect(await page.locator('table.matrix').first().locator('thead').innerText()).toMatch(/feature\s+gemini\s+openai/);
    expect((await row('chat').locator('td').allInnerTexts()).map((t) => t.trim())).toEqual(['pass (1 warning)', 'partial']);
    expect((await row('tools').locator('td').allInnerTexts()).map((t) => t.trim())).toEqual(['pass', 'fail']);
    expect((await row('embeddings').locator('td').allInnerTexts()).map((t) => t.trim())).toEqual(['error', 'untested']);
  });

  test('and a matrix feature x model under each target', async () => {
    const gemini = page.locator('h2', { hasText: 'Feature × model: gemini' });
    await expect.poll(() => gemini.count()).toBe(1);
    const models = page.locator('table.matrix').nth(1);
    expect(await models.locator('thead').innerText()).toMatch(/feature\s+gemini-2\.5-flash\s+text-embedding-004/);
  });

  test('a click on a cell opens its cases, the failing checks, findings, doc citation and expectation link', async () => {
    const details = page.locator('section.detail[aria-label="tools × openai"]');
    expect(await details.isVisible()).toBe(false);
    await row('tools').locator('td').nth(1).locator('a').click();
    expect(await details.isVisible()).toBe(true);
    const text = await details.innerText();
    expect(text).toContain('tools × openai: fail');
    expect(text).toContain('tools-forced [blocking] gpt-4o-mini: fail');
    expect(text).toContain('A forced tool call <b>names</b> the tool'); // escaped, not markup
    expect(text).toContain('Documented in Function calling');
    expect(await details.locator('a', { hasText: 'Function calling' }).getAttribute('href')).toBe('https://ai.google.dev/gemini-api/docs/openai#function-calling');
    const finding = (await details.locator('table.findings tbody tr').first().locator('td').allInnerTexts()).map((t) => t.trim());
    expect(finding).toEqual(['/choices/0/message/tool_calls', 'an array of tool calls', '(missing)', 'must']);

    await row('tools').locator('td').nth(0).locator('a').click();
    const gemini = page.locator('section.detail[aria-label="tools × gemini"]');
    expect(await gemini.isVisible()).toBe(true);
    expect(await details.isVisible()).toBe(false);
    expect(await gemini.innerText()).toContain('xfail');
    expect(await gemini.locator('.expectation a').getAttribute('href')).toBe('https://issuetracker.example/123');
  });

  test('the compatibility profile sets claimed beside observed', async () => {
    const profile = page.locator('section.profile[aria-label="profile openai"]');
    const tools = (await profile.locator('tr[data-feature="tools"] td').allInnerTexts()).map((t) => t.trim());
    expect(tools).toEqual(['gpt-4o-mini', 'yes', 'fail', 'differs', 'tools-forced [blocking]: fail (schema.tool-call)']);
    expect(await profile.locator('tr[data-feature="tools"] a').getAttribute('href')).toBe('https://platform.openai.com/docs/guides/function-calling');
  });

  test('filters by status and by feature', async () => {
    const visibleFeatures = async () => {
      const rows = await page.locator('table.matrix').first().locator('tbody tr').all();
      const shown: string[] = [];
      for (const tr of rows) if (await tr.isVisible()) shown.push((await tr.getAttribute('data-feature'))!);
      return shown;
    };
    expect(await visibleFeatures()).toHaveLength(13);
    for (const status of ['pass', 'partial', 'unsupported', 'error', 'untested']) await page.uncheck(`input[name=status][value=${status}]`);
    expect(await visibleFeatures()).toEqual(['tools']);
    await page.check('input[name=status][value=untested]');
    await page.selectOption('#feature-filter', 'embeddings');
    expect(await visibleFeatures()).toEqual(['embeddings']);
    await page.selectOption('#feature-filter', '');
    expect((await visibleFeatures()).length).toBeGreaterThan(1);
  });

  test('loads nothing but the file itself: no network, no CDN', () => {
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^file:\/\/.*report\.html$/);
    expect(renderHtml(REPORT)).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });
});
