import { ServiceModel, Shape } from './model';

/** One failed check: `type` issues are malformed requests, `constraint` issues break a modeled limit. */
export interface ValidationIssue {
  readonly kind: 'type' | 'constraint';
  readonly message: string;
}

type Check = (value: unknown, at: string, issues: ValidationIssue[]) => void;

/**
 * Compile a botocore pattern into a RegExp, working around the model's known defects (see the
 * connect-model README, "Pattern caveats"): double-escaped backslashes (`PhoneNumber`), JS-style
 * `/…/` delimiters (`Password`) and `\p{…}` classes that need the `u` flag (`TagKey`). Patterns are
 * applied as written, unanchored where the model has no `^`/`$` (search semantics, as in Smithy).
 */
export function compilePattern(pattern: string): RegExp {
  let source = pattern;
  if (source.length > 2 && source.startsWith('/') && source.endsWith('/')) {
    source = source.slice(1, -1);
  }
  source = source.replace(/\\\\/g, '\\');
  try {
    return new RegExp(source, 'u');
  } catch {
    return new RegExp(source);
  }
}

function show(value: unknown, sensitive: boolean): string {
  if (sensitive) {
    return '';
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return ` '${text.length > 100 ? text.slice(0, 100) + '…' : text}'`;
}

/**
 * Validates request inputs against the model, generically: member types, `required`, `min`/`max`
 * (string length, list and map size, numeric range), `pattern` and `enum`, recursively through
 * structures, lists and maps. Unknown members are ignored. Checks are compiled once per shape.
 */
export class ModelValidator {
  private readonly checks = new Map<string, Check>();

  constructor(private readonly model: ServiceModel) {
    for (const name of Object.keys(model.shapes)) {
      this.checkFor(name);
    }
  }

  /** Validate `input` against the named shape; returns every issue found (empty when valid). */
  validate(shapeName: string, input: unknown): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    this.checkFor(shapeName)(input, '', issues);
    return issues;
  }

  private checkFor(name: string): Check {
    const existing = this.checks.get(name);
    if (existing) {
      return existing;
    }
    // placeholder for recursive shapes (UserSearchCriteria contains lists of itself)
    let compiled: Check | undefined;
    this.checks.set(name, (v, at, issues) => compiled!(v, at, issues));
    const shape = this.model.shapes[name];
    if (!shape) {
      throw new Error(`connect emulator: the model references an unknown shape ${name}`);
    }
    compiled = this.compile(shape);
    this.checks.set(name, compiled);
    return compiled;
  }

  private compile(shape: Shape): Check {
    const sensitive = shape.sensitive === true;
    switch (shape.type) {
      case 'structure': return this.compileStructure(shape);
      case 'list': return this.compileList(shape);
      case 'map': return this.compileMap(shape);
      case 'string': return compileString(shape, sensitive);
      case 'integer':
      case 'long':
      case 'double':
      case 'float': return compileNumber(shape);
      case 'boolean':
        return (v, at, issues) => {
          if (typeof v !== 'boolean') {
            issues.push({ kind: 'type', message: `Value${show(v, false)} at '${at}' must be a boolean` });
          }
        };
      case 'timestamp':
        return (v, at, issues) => {
          if (typeof v !== 'number' && typeof v !== 'string') {
            issues.push({ kind: 'type', message: `Value${show(v, false)} at '${at}' must be a timestamp` });
          }
        };
      default:
        return () => undefined;
    }
  }

  private compileStructure(shape: Shape): Check {
    const members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, check: this.checkFor(ref.shape) }));
    const required = shape.required ?? [];
    return (v, at, issues) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        issues.push({ kind: 'type', message: `Value${show(v, false)} at '${at || 'body'}' must be a JSON object` });
        return;
      }
      const obj = v as Record<string, unknown>;
      for (const r of required) {
        if (obj[r] === undefined || obj[r] === null) {
          issues.push({ kind: 'constraint', message: `Value null at '${join(at, r)}' failed to satisfy constraint: Member must not be null` });
        }
      }
      for (const m of members) {
        const value = obj[m.name];
        if (value !== undefined && value !== null) {
          m.check(value, join(at, m.name), issues);
        }
      }
    };
  }

  private compileList(shape: Shape): Check {
    const member = this.checkFor(shape.member!.shape);
    const { min, max } = shape;
    return (v, at, issues) => {
      if (!Array.isArray(v)) {
        issues.push({ kind: 'type', message: `Value${show(v, false)} at '${at}' must be a JSON array` });
        return;
      }
      if (min !== undefined && v.length < min) {
        issues.push({ kind: 'constraint', message: `Value at '${at}' failed to satisfy constraint: Member must have length greater than or equal to ${min}` });
      }
      if (max !== undefined && v.length > max) {
        issues.push({ kind: 'constraint', message: `Value at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${max}` });
      }
      for (let i = 0; i < v.length; i++) {
        if (v[i] === null || v[i] === undefined) {
          issues.push({ kind: 'constraint', message: `Value null at '${at}.${i + 1}.member' failed to satisfy constraint: Member must not be null` });
        } else {
          member(v[i], `${at}.${i + 1}.member`, issues);
        }
      }
    };
  }

  private compileMap(shape: Shape): Check {
    const key = this.checkFor(shape.key!.shape);
    const value = this.checkFor(shape.value!.shape);
    const { min, max } = shape;
    return (v, at, issues) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        issues.push({ kind: 'type', message: `Value${show(v, false)} at '${at}' must be a JSON object` });
        return;
      }
      const entries = Object.entries(v as Record<string, unknown>);
      if (min !== undefined && entries.length < min) {
        issues.push({ kind: 'constraint', message: `Value at '${at}' failed to satisfy constraint: Member must have length greater than or equal to ${min}` });
      }
      if (max !== undefined && entries.length > max) {
        issues.push({ kind: 'constraint', message: `Value at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${max}` });
      }
      for (const [k, val] of entries) {
        key(k, `${at}.key`, issues);
        if (val === null || val === undefined) {
          issues.push({ kind: 'constraint', message: `Value null at '${at}.${k}' failed to satisfy constraint: Member must not be null` });
        } else {
          value(val, `${at}.${k}`, issues);
        }
      }
    };
  }
}

function join(at: string, name: string): string {
  return at ? `${at}.${name}` : name;
}

function compileString(shape: Shape, sensitive: boolean): Check {
  const { min, max } = shape;
  const regex = shape.pattern ? compilePattern(shape.pattern) : undefined;
  const allowed = shape.enum ? new Set(shape.enum) : undefined;
  const enumText = shape.enum ? `[${shape.enum.join(', ')}]` : '';
  return (v, at, issues) => {
    if (typeof v !== 'string') {
      issues.push({ kind: 'type', message: `Value${show(v, sensitive)} at '${at}' must be a string` });
      return;
    }
    // length in characters (code points), as the service counts
    const length = v.length < 64 && !/[\uD800-\uDFFF]/.test(v) ? v.length : [...v].length;
    if (min !== undefined && length < min) {
      issues.push({ kind: 'constraint', message: `Value${show(v, sensitive)} at '${at}' failed to satisfy constraint: Member must have length greater than or equal to ${min}` });
    }
    if (max !== undefined && length > max) {
      issues.push({ kind: 'constraint', message: `Value${show(v, sensitive)} at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${max}` });
    }
    if (regex && !regex.test(v)) {
      issues.push({ kind: 'constraint', message: `Value${show(v, sensitive)} at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shape.pattern}` });
    }
    if (allowed && !allowed.has(v)) {
      issues.push({ kind: 'constraint', message: `Value${show(v, sensitive)} at '${at}' failed to satisfy constraint: Member must satisfy enum value set: ${enumText}` });
    }
  };
}

function compileNumber(shape: Shape): Check {
  const { min, max } = shape;
  const integral = shape.type === 'integer' || shape.type === 'long';
  return (v, at, issues) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || (integral && !Number.isInteger(v))) {
      issues.push({ kind: 'type', message: `Value${show(v, false)} at '${at}' must be ${integral ? 'an integer' : 'a number'}` });
      return;
    }
    if (min !== undefined && v < min) {
      issues.push({ kind: 'constraint', message: `Value '${v}' at '${at}' failed to satisfy constraint: Member must have value greater than or equal to ${min}` });
    }
    if (max !== undefined && v > max) {
      issues.push({ kind: 'constraint', message: `Value '${v}' at '${at}' failed to satisfy constraint: Member must have value less than or equal to ${max}` });
    }
  };
}
