import { FEATURE_IDS, type CellStatus, type FeatureId } from '../core/types.js';
import type { Claim } from '../targets/load.js';
import type { Report } from './build.js';
import { compareText } from './matrix.js';
import { DEVIATIONS, deviationsOf, type Deviation } from './workarounds.js';

/** How an observed cell compares with what the target documents. */
export type Agreement = 'as claimed' | 'differs' | 'not documented' | 'not judged';

export interface ProfileFeature {
  feature: FeatureId;
  /** The models the feature's cases ran with. */
  models: string[];
  claimed?: Claim;
  observed: CellStatus;
  agreement: Agreement;
  /** Why it is not a plain pass: the cell's notes. */
  why: string[];
}

export interface ProfileDeviation {
  deviation: Deviation;
  /** Where it was seen, e.g. `tools-get-weather-auto [streaming]`. */
  seen: string[];
  /** Expectation links of the results that showed it (known deviations). */
  links: string[];
}

/** What works and what does not on one target, per feature with its models, beside the target's claims. */
export interface Profile {
  target: string;
  features: ProfileFeature[];
  deviations: ProfileDeviation[];
}

/**
 * The compatibility profile of every target of a report: each tested feature with the models
 * it ran with, claimed vs observed, and the known deviations (src/report/workarounds.ts) its
 * results show, with the workaround and the expectation links.
 */
export function buildProfiles(report: Report): Profile[] {
  return report.targets.map((target): Profile => {
    const results = report.results.filter((r) => r.target === target.id);
    const features = FEATURE_IDS.flatMap((feature): ProfileFeature[] => {
      const cell = report.cells.find((c) => c.feature === feature && c.target === target.id && c.model === undefined);
      if (cell === undefined || cell.status === 'untested') return [];
      const claimed = target.claims?.[feature];
      const models = [...new Set(results.filter((r) => r.feature === feature && r.status !== 'skip').map((r) => r.model))].filter((m) => m !== '' && m !== '-').sort(compareText);
      return [{ feature, models, ...(claimed ? { claimed } : {}), observed: cell.status, agreement: agreement(claimed, cell.status), why: cell.notes }];
    });
    const found = new Map<string, ProfileDeviation>();
    for (const r of results) {
      for (const deviation of deviationsOf(r)) {
        const entry = found.get(deviation.id) ?? { deviation, seen: [], links: [] };
        const where = `${r.case} [${r.transport}]${r.model ? ` ${r.model}` : ''}`;
        if (!entry.seen.includes(where)) entry.seen.push(where);
        if (r.expectation !== undefined && !entry.links.includes(r.expectation)) entry.links.push(r.expectation);
        found.set(deviation.id, entry);
      }
    }
    const deviations = [...found.values()].sort((a, b) => DEVIATIONS.indexOf(a.deviation) - DEVIATIONS.indexOf(b.deviation));
    return { target: target.id, features, deviations };
  });
}

/**
 * Claimed supported: a pass is as claimed, anything else differs. Claimed unsupported: an
 * unsupported is as claimed. Claimed partial: partial or unsupported is as claimed. An `error`
 * cell judges nothing (transport trouble); without a claim there is nothing to compare.
 */
function agreement(claimed: Claim | undefined, observed: CellStatus): Agreement {
  if (observed === 'error') return 'not judged';
  if (claimed === undefined) return 'not documented';
  if (claimed.supported === true) return observed === 'pass' ? 'as claimed' : 'differs';
  if (claimed.supported === false) return observed === 'unsupported' ? 'as claimed' : 'differs';
  return observed === 'partial' || observed === 'unsupported' ? 'as claimed' : 'differs';
}

/** e.g. `partial`, `yes`, `no`, or `not documented`. */
export function claimText(claim: Claim | undefined): string {
  if (claim === undefined) return 'not documented';
  return claim.supported === 'partial' ? 'partial' : claim.supported ? 'yes' : 'no';
}

/** Where a deviation was seen, the first few places then a count. */
export function seenText(d: ProfileDeviation, max = 4): string {
  const shown = d.seen.slice(0, max).join(', ');
  return d.seen.length > max ? `${shown} and ${d.seen.length - max} more` : shown;
}
