import { ServiceModel, Shape } from './model';

/** A compiled route: one modeled operation's method and URI template. */
export interface Route {
  readonly operation: string;
  readonly method: string;
  /** Literal segments, or `undefined` where a label sits. */
  readonly segments: Array<string | undefined>;
  /** Label names by segment index. */
  readonly labels: Array<string | undefined>;
  readonly inputShape?: string;
  /** Input members bound to the query string: wire name -> member name, list or not, numeric or not. */
  readonly query: Array<{ wire: string; member: string; list: boolean; numeric: boolean }>;
  /** Input members carried in the JSON body. */
  readonly bodyMembers: string[];
}

/**
 * Routes requests to operations by the model's HTTP bindings (method + URI template with `{Label}`
 * segments). Compiled once; matching is a segment comparison, no regex per request.
 */
export class Router {
  private readonly byMethod = new Map<string, Route[]>();

  constructor(model: ServiceModel) {
    for (const [name, op] of Object.entries(model.operations)) {
      const [pathPart] = op.http.requestUri.split('?');
      const parts = pathPart.split('/').slice(1);
      const input: Shape | undefined = op.input ? model.shapes[op.input.shape] : undefined;
      const members = input?.members ?? {};
      const route: Route = {
        operation: name,
        method: op.http.method,
        segments: parts.map(p => (p.startsWith('{') ? undefined : p)),
        labels: parts.map(p => (p.startsWith('{') ? p.slice(1, -1).replace(/\+$/, '') : undefined)),
        inputShape: op.input?.shape,
        query: Object.entries(members).filter(([, m]) => m.location === 'querystring').map(([member, m]) => {
          const type = model.shapes[m.shape].type;
          return { wire: m.locationName ?? member, member, list: type === 'list', numeric: type === 'integer' || type === 'long' };
        }),
        bodyMembers: Object.entries(members).filter(([, m]) => !m.location).map(([member]) => member),
      };
      const list = this.byMethod.get(route.method) ?? [];
      list.push(route);
      this.byMethod.set(route.method, list);
    }
    for (const list of this.byMethod.values()) {
      // more literal segments first, so a literal wins over a label
      list.sort((a, b) => b.segments.filter(s => s !== undefined).length - a.segments.filter(s => s !== undefined).length);
    }
  }

  /** Find the route for a method and raw (still percent-encoded) path; labels come back decoded. */
  match(method: string, rawPath: string): { route: Route; labels: Record<string, string> } | undefined {
    const routes = this.byMethod.get(method);
    if (!routes) {
      return undefined;
    }
    const parts = rawPath.split('/').slice(1);
    if (parts.length > 0 && parts[parts.length - 1] === '') {
      parts.pop();
    }
    for (const route of routes) {
      if (route.segments.length !== parts.length) {
        continue;
      }
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const literal = route.segments[i];
        if (literal !== undefined ? literal !== parts[i] : parts[i] === '') {
          ok = false;
          break;
        }
      }
      if (!ok) {
        continue;
      }
      const labels: Record<string, string> = {};
      for (let i = 0; i < parts.length; i++) {
        const label = route.labels[i];
        if (label !== undefined) {
          labels[label] = decodeURIComponent(parts[i]);
        }
      }
      return { route, labels };
    }
    return undefined;
  }
}
