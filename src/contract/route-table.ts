import type { HttpMethod } from './operations';

export interface Route<T> {
  /** OpenAPI path template, e.g. `/api/swap/{job_id}`. */
  template: string;
  /** Upper-case methods declared on the path, with HEAD wherever GET is. */
  allow: string[];
  byMethod: Map<string, T>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Literal segments count more than parameters: `/api/swap/lock` wins over `/api/swap/{job_id}`. */
function specificity(template: string): number {
  return template.split('/').filter((segment) => segment && !segment.includes('{')).length;
}

/**
 * Finds the route of a request path in one step for literal paths and in a short ordered scan for
 * templated ones, instead of trying every route of the contract in turn.
 */
export class RouteTable<T> {
  private readonly literal = new Map<string, Route<T>>();
  private readonly templated: { pattern: RegExp; route: Route<T> }[] = [];

  constructor(entries: { template: string; method: HttpMethod; value: T }[]) {
    const routes = new Map<string, Route<T>>();
    for (const { template, method, value } of entries) {
      let route = routes.get(template);
      if (!route) {
        route = { template, allow: [], byMethod: new Map() };
        routes.set(template, route);
      }
      const upper = method.toUpperCase();
      route.byMethod.set(upper, value);
      route.allow.push(upper);
      if (upper === 'GET') route.allow.push('HEAD');
    }
    for (const route of routes.values()) {
      if (route.template.includes('{')) {
        const source = route.template
          .split(/(\{[^}]+\})/)
          .map((part) => (part.startsWith('{') ? '[^/]+' : escapeRegExp(part)))
          .join('');
        this.templated.push({ pattern: new RegExp(`^${source}/?$`), route });
      } else {
        this.literal.set(route.template, route);
      }
    }
    this.templated.sort((a, b) => specificity(b.route.template) - specificity(a.route.template));
  }

  match(path: string): Route<T> | undefined {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    return this.literal.get(trimmed) ?? this.templated.find(({ pattern }) => pattern.test(path))?.route;
  }

  /** The value for a method on a route; HEAD falls back to GET. */
  static valueFor<T>(route: Route<T>, method: string): T | undefined {
    return route.byMethod.get(method) ?? (method === 'HEAD' ? route.byMethod.get('GET') : undefined);
  }
}
