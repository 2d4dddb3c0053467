/**
 * CloudFormation intrinsic functions, resolved locally (pure: no I/O).
 *
 * Covers what the synthesized templates of this library use: `Ref`, `Fn::GetAtt`, `Fn::Join`,
 * `Fn::Select`, `Fn::Split`, `Fn::Sub`, the condition functions (`Fn::If`, `Fn::Equals`, `Fn::Not`,
 * `Fn::And`, `Fn::Or`, `Condition`), `Fn::FindInMap`, `Fn::Base64` and `AWS::NoValue`. Anything else
 * is refused with an error that names the function, so a template the player cannot play fails loudly
 * instead of deploying something half-resolved.
 */

/** What a template's references resolve to. */
export interface ResolveContext {
  /** Pseudo parameters by name (`AWS::Region`, `AWS::AccountId`, `AWS::Partition`, ...). */
  readonly pseudo: Readonly<Record<string, string>>;
  /** Template parameters, already given their value (default or override). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Evaluated template conditions. */
  readonly conditions: Readonly<Record<string, boolean>>;
  /** Template mappings. */
  readonly mappings?: Readonly<Record<string, Record<string, Record<string, unknown>>>>;
  /** The value of `Ref` for a resource (its physical id, or what its type returns for Ref). */
  ref(logicalId: string): unknown;
  /** The value of `Fn::GetAtt` for a resource attribute. */
  getAtt(logicalId: string, attribute: string): unknown;
}

/** Marks a value removed by `AWS::NoValue`; stripped from the enclosing object or list. */
const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolve every intrinsic function in `value`.
 *
 * @returns a plain JSON value with no intrinsic left; `undefined` when the whole value is `AWS::NoValue`
 */
export function resolveValue(value: unknown, ctx: ResolveContext): unknown {
  const resolved = resolveInner(value, ctx, '');
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolveInner(value: unknown, ctx: ResolveContext, path: string): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => resolveInner(v, ctx, `${path}[${i}]`)).filter((v) => v !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
    return resolveFunction(keys[0], obj[keys[0]], ctx, path);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = resolveInner(obj[key], ctx, path ? `${path}.${key}` : key);
    if (v !== NO_VALUE) {
      out[key] = v;
    }
  }
  return out;
}

function resolveFunction(name: string, arg: unknown, ctx: ResolveContext, path: string): unknown {
  const at = path ? ` at ${path}` : '';
  switch (name) {
    case 'Ref':
      return resolveRef(expectString(arg, name, at), ctx, at);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = typeof arg === 'string'
        ? splitOnce(arg, '.')
        : (resolveInner(arg, ctx, path) as [string, string]);
      if (typeof logicalId !== 'string' || typeof attribute !== 'string') {
        throw new Error(`Fn::GetAtt${at} needs [logicalId, attribute], got ${JSON.stringify(arg)}`);
      }
      return ctx.getAtt(logicalId, attribute);
    }
    case 'Fn::Join': {
      const [delimiter, list] = expectArray(arg, name, at, 2);
      const items = resolveInner(list, ctx, path);
      if (!Array.isArray(items)) {
        throw new Error(`Fn::Join${at} needs a list, got ${JSON.stringify(items)}`);
      }
      return items.map((item) => scalarToString(item, name, at)).join(expectString(delimiter, name, at));
    }
    case 'Fn::Select': {
      const [index, list] = expectArray(arg, name, at, 2);
      const i = Number(resolveInner(index, ctx, path));
      const items = resolveInner(list, ctx, path);
      if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
        throw new Error(`Fn::Select${at}: index ${i} is out of range of ${JSON.stringify(items)}`);
      }
      return items[i];
    }
    case 'Fn::Split': {
      const [delimiter, source] = expectArray(arg, name, at, 2);
      const text = resolveInner(source, ctx, path);
      return expectString(text, name, at).split(expectString(delimiter, name, at));
    }
    case 'Fn::Sub':
      return resolveSub(arg, ctx, path, at);
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = expectArray(arg, name, at, 3);
      return evaluateCondition(expectString(condition, name, at), ctx, at)
        ? resolveInner(whenTrue, ctx, path)
        : resolveInner(whenFalse, ctx, path);
    }
    case 'Fn::Equals': {
      const [a, b] = expectArray(arg, name, at, 2);
      return JSON.stringify(resolveInner(a, ctx, path)) === JSON.stringify(resolveInner(b, ctx, path));
    }
    case 'Fn::Not':
      return !resolveInner(expectArray(arg, name, at, 1)[0], ctx, path);
    case 'Fn::And':
      return expectArray(arg, name, at).every((c) => resolveInner(c, ctx, path) === true);
    case 'Fn::Or':
      return expectArray(arg, name, at).some((c) => resolveInner(c, ctx, path) === true);
    case 'Condition':
      return evaluateCondition(expectString(arg, name, at), ctx, at);
    case 'Fn::FindInMap': {
      const [map, top, second] = (resolveInner(arg, ctx, path) as unknown[]).map((x) => String(x));
      const found = ctx.mappings?.[map]?.[top]?.[second];
      if (found === undefined) {
        throw new Error(`Fn::FindInMap${at}: no entry ${map}/${top}/${second} in the template's Mappings`);
      }
      return found;
    }
    case 'Fn::Base64':
      return Buffer.from(expectString(resolveInner(arg, ctx, path), name, at)).toString('base64');
    default:
      throw new Error(`${name}${at} is not supported by the local CloudFormation player (supported: Ref, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split, Fn::Sub, Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::FindInMap, Fn::Base64)`);
  }
}

function resolveRef(name: string, ctx: ResolveContext, at: string): unknown {
  if (name === 'AWS::NoValue') {
    return NO_VALUE;
  }
  if (name.startsWith('AWS::')) {
    const value = ctx.pseudo[name];
    if (value === undefined) {
      throw new Error(`Ref${at}: pseudo parameter ${name} is not supported by the local player (known: ${Object.keys(ctx.pseudo).join(', ')})`);
    }
    return value;
  }
  if (name in ctx.parameters) {
    return ctx.parameters[name];
  }
  return ctx.ref(name);
}

function resolveSub(arg: unknown, ctx: ResolveContext, path: string, at: string): string {
  let text: string;
  let variables: Record<string, unknown> = {};
  if (typeof arg === 'string') {
    text = arg;
  } else {
    const [template, vars] = expectArray(arg, 'Fn::Sub', at, 2);
    text = expectString(template, 'Fn::Sub', at);
    variables = resolveInner(vars, ctx, path) as Record<string, unknown>;
  }
  return text.replace(/\$\{([^}]*)\}/g, (_match, expr: string) => {
    if (expr.startsWith('!')) {
      return '${' + expr.slice(1) + '}';
    }
    if (expr in variables) {
      return scalarToString(variables[expr], 'Fn::Sub', at);
    }
    if (expr.includes('.') && !expr.startsWith('AWS::')) {
      const [logicalId, attribute] = splitOnce(expr, '.');
      return scalarToString(ctx.getAtt(logicalId, attribute), 'Fn::Sub', at);
    }
    return scalarToString(resolveRef(expr, ctx, at), 'Fn::Sub', at);
  });
}

function evaluateCondition(name: string, ctx: ResolveContext, at: string): boolean {
  if (!(name in ctx.conditions)) {
    throw new Error(`condition ${name}${at} is not defined in the template's Conditions`);
  }
  return ctx.conditions[name];
}

/**
 * Evaluate a template's `Conditions` section, in dependency order.
 *
 * @returns each condition's value
 */
export function evaluateConditions(
  conditions: Readonly<Record<string, unknown>> | undefined,
  ctx: Omit<ResolveContext, 'conditions'>,
): Record<string, boolean> {
  const values: Record<string, boolean> = {};
  const pending = new Set(Object.keys(conditions ?? {}));
  const evaluate = (name: string, stack: string[]): boolean => {
    if (name in values) {
      return values[name];
    }
    if (stack.includes(name)) {
      throw new Error(`conditions refer to each other in a cycle: ${[...stack, name].join(' -> ')}`);
    }
    const proxy: ResolveContext = {
      ...ctx,
      conditions: new Proxy({}, {
        has: (_t, key) => typeof key === 'string' && pending.has(key),
        get: (_t, key) => (typeof key === 'string' ? evaluate(key, [...stack, name]) : undefined),
      }),
    };
    const result = resolveValue(conditions![name], proxy);
    values[name] = result === true;
    return values[name];
  };
  for (const name of pending) {
    evaluate(name, []);
  }
  return values;
}

/**
 * The logical ids a value refers to through `Ref`, `Fn::GetAtt` and `Fn::Sub` (pseudo parameters and
 * template parameters excluded).
 */
export function referencedLogicalIds(value: unknown, parameters: ReadonlySet<string> = new Set()): Set<string> {
  const found = new Set<string>();
  const add = (id: string) => {
    if (!id.startsWith('AWS::') && !parameters.has(id)) {
      found.add(id);
    }
  };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (v === null || typeof v !== 'object') {
      return;
    }
    const obj = v as Record<string, unknown>;
    for (const [key, inner] of Object.entries(obj)) {
      if (key === 'Ref' && typeof inner === 'string') {
        add(inner);
      } else if (key === 'Fn::GetAtt') {
        if (typeof inner === 'string') {
          add(splitOnce(inner, '.')[0]);
        } else if (Array.isArray(inner) && typeof inner[0] === 'string') {
          add(inner[0]);
        } else {
          walk(inner);
        }
      } else if (key === 'Fn::Sub') {
        const template = typeof inner === 'string' ? inner : Array.isArray(inner) ? inner[0] : undefined;
        const variables = Array.isArray(inner) && inner[1] && typeof inner[1] === 'object' ? Object.keys(inner[1]) : [];
        if (typeof template === 'string') {
          for (const m of template.matchAll(/\$\{([^}!][^}]*)\}/g)) {
            if (!variables.includes(m[1])) {
              add(m[1].split('.')[0]);
            }
          }
        }
        if (Array.isArray(inner)) {
          walk(inner[1]);
        }
      } else {
        walk(inner);
      }
    }
  };
  walk(value);
  return found;
}

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

function expectString(value: unknown, fn: string, at: string): string {
  if (typeof value !== 'string') {
    throw new Error(`${fn}${at} needs a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function expectArray(value: unknown, fn: string, at: string, length?: number): unknown[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    throw new Error(`${fn}${at} needs a list${length ? ` of ${length}` : ''}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function scalarToString(value: unknown, fn: string, at: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw new Error(`${fn}${at}: cannot turn ${JSON.stringify(value)} into a string`);
}
