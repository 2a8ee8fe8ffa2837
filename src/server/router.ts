import type { ServerContext } from './context.js';
import type { ApiRequest, Reply } from './stages.js';

export interface Route {
  method: 'GET' | 'POST';
  /** Path relative to /v1; `:name` segments are parameters. */
  path: string;
  /** Operation name, e.g. `chat.completions`; faults use it to pick the replies they change. */
  op: string;
  /** Reachable without an API key. */
  public?: boolean;
  handle(req: ApiRequest, params: Record<string, string>, ctx: ServerContext): Reply | Promise<Reply>;
}

export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split('/');
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (route.method !== method || pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      if (!p.startsWith(':')) return p === segments[i];
      params[p.slice(1)] = safeDecode(segments[i]);
      return segments[i] !== '';
    });
    if (ok) return { route, params };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
