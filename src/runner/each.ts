import { resolveTemplates, type TemplateContext } from '../fixtures/template.js';
import type { Step } from '../fixtures/load.js';

/**
 * A step with `each`, expanded into one step per element of the list it names (at most `max`):
 * ids `<step>-1`, `<step>-2`, ..., with {{each...}} resolved to the element. Throws (a template
 * error) when `in` does not resolve to a list.
 */
export function expandEach(step: Step, scope: TemplateContext): Step[] {
  const spec = step.each!;
  const list = resolveTemplates(spec.in, scope) as unknown;
  if (!Array.isArray(list)) throw new Error(`each.in ${spec.in} is not a list (got ${JSON.stringify(list)?.slice(0, 60)})`);
  const { each: _, ...rest } = step;
  return list.slice(0, spec.max ?? 50).map((element, i) => {
    const withElement = { ...scope, each: element };
    return {
      ...rest,
      id: `${step.id}-${i + 1}`,
      request: resolveTemplates(step.request, withElement),
      ...(step.streaming_request ? { streaming_request: resolveTemplates(step.streaming_request, withElement) } : {}),
      checks: resolveTemplates(step.checks, withElement),
    };
  });
}
