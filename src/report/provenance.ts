import { createHash } from 'node:crypto';
import { VERSION as OPENAI_VERSION } from 'openai/version';
import type { FeatureId } from '../core/types.js';
import type { Case } from '../fixtures/load.js';
import type { MediaItem } from '../fixtures/media.js';

/** What a report was made with, beyond the tool and the targets: enough to tell two runs apart. */
export interface Provenance {
  /** `process.version` of the run, e.g. `v20.18.1`. */
  node: string;
  /** Version of the official `openai` SDK the requests went through. */
  openai: string;
  /** The fixture set: a digest of the cases that ran (validated content) and the media they use. */
  fixtures: { digest: string; cases: number };
}

/** Facts about a report's cases that results do not carry: what each case checks and where it is documented. */
export interface CaseInfo {
  feature: FeatureId;
  description: string;
  doc: { section: string; url: string };
}

export function provenanceOf(cases: Case[], media: Record<string, MediaItem>): Provenance {
  return { node: process.version, openai: OPENAI_VERSION, fixtures: { digest: fixturesDigest(cases, media), cases: cases.length } };
}

/**
 * sha256 over the cases (sorted by id) and the media, as the workers get them: the same fixture
 * set gives the same digest whatever the YAML formatting or comments, any change of content a new one.
 */
export function fixturesDigest(cases: Case[], media: Record<string, MediaItem>): string {
  const hash = createHash('sha256');
  for (const c of [...cases].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) hash.update(`${JSON.stringify(c)}\n`);
  for (const name of Object.keys(media).sort()) hash.update(`${name}\n${media[name]!.base64}\n`);
  return `sha256:${hash.digest('hex')}`;
}

export function caseInfoOf(cases: Case[]): Record<string, CaseInfo> {
  const sorted = [...cases].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return Object.fromEntries(
    sorted.map((c) => [c.id, { feature: c.feature, description: c.description, doc: { section: c.doc.section, url: c.doc.url } }]),
  );
}
