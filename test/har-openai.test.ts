/**
 * OpenAI's own recorded traffic is the standard: every entry of shared/recordings/har/openai
 * goes through validate's path (the HAR reader, the real SDK, every check that applies) and must
 * produce no finding at all. The recordings live beside the repo (not in it), so a user's clone
 * skips this file with a message.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { judgeCaptured } from '../src/passive/judge.js';
import { readCaptures } from '../src/passive/read.js';
import { ROOT } from './support/env.js';

const HAR_DIR = path.join(ROOT, '..', 'shared', 'recordings', 'har');
const OPENAI_DIR = path.join(HAR_DIR, 'openai');
const available = existsSync(OPENAI_DIR);

const title = available
  ? `OpenAI's recorded responses pass every check that can judge them (${OPENAI_DIR})`
  : `OpenAI's recorded responses: skipped, ${HAR_DIR} is not present (it sits outside the repo, not in a user's clone)`;

describe.skipIf(!available)(title, () => {
  const captured = available ? readCaptures([OPENAI_DIR]) : [];

  test('enough entries to mean something', () => {
    expect(captured.length).toBeGreaterThanOrEqual(15);
  });

  for (const c of captured) {
    const name = `${path.basename(c.source.file)} #${'entry' in c.source ? c.source.entry : c.source.line}: ${c.request?.method} ${c.request ? new URL(c.request.url).pathname : ''} ${c.response?.status}`;
    test(name, async () => {
      const { results } = await judgeCaptured(c);
      expect(results.map((r) => r.check), 'a recorded endpoint this suite does not know').not.toContain('endpoint');
      expect(results.some((r) => r.level === 'schema' && r.status === 'pass')).toBe(true);
      expect(results.some((r) => r.level === 'sdk' && r.status === 'pass')).toBe(true);
      // Not even a `should` finding: OpenAI's behaviour is what conformant means.
      const flagged = results.filter((r) => r.status !== 'pass' && !(r.status === 'skip' && r.message.startsWith('not judged: ')));
      expect(flagged.map((r) => ({ check: r.check, status: r.status, message: r.message }))).toEqual([]);
      // Lost framing is not judged, never passed.
      if (c.framingLost) expect(results.filter((r) => r.check.startsWith('wire.sse')).map((r) => r.status)).toEqual(['skip', 'skip']);
    });
  }
});
