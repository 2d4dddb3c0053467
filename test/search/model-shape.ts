/**
 * Checks a JSON value against a shape of the Connect API model (connect-model/ in the repository), so tests
 * compare what the builders render with the API's own definition rather than with a copy of it.
 */
import * as fs from 'fs';
import * as path from 'path';

interface Shape {
  readonly type: string;
  readonly members?: Record<string, { readonly shape: string }>;
  readonly member?: { readonly shape: string };
  readonly enum?: string[];
  readonly required?: string[];
  readonly min?: number;
  readonly max?: number;
}

const MODEL_PATH = process.env.CONNECT_MODEL_PATH ?? path.resolve(__dirname, '..', '..', 'connect-model', 'connect-subset.json');

let shapes: Record<string, Shape> | undefined;

function model(): Record<string, Shape> {
  shapes ??= (JSON.parse(fs.readFileSync(MODEL_PATH, 'utf8')) as { shapes: Record<string, Shape> }).shapes;
  return shapes;
}

/** Every way `value` departs from model shape `shapeName`, as "path: problem" lines (empty: it conforms). */
export function shapeProblems(shapeName: string, value: unknown, at = shapeName): string[] {
  const shape = model()[shapeName];
  if (shape === undefined) return [`${at}: no shape ${shapeName} in the model`];
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object`];
      const problems: string[] = [];
      for (const [key, member] of Object.entries(value)) {
        const m = shape.members?.[key];
        if (m === undefined) problems.push(`${at}.${key}: not a member of ${shapeName}`);
        else problems.push(...shapeProblems(m.shape, member, `${at}.${key}`));
      }
      for (const r of shape.required ?? []) if (!(r in value)) problems.push(`${at}.${r}: required`);
      return problems;
    }
    case 'list': {
      if (!Array.isArray(value)) return [`${at}: expected a list`];
      const problems = value.flatMap((v, i) => shapeProblems(shape.member!.shape, v, `${at}[${i}]`));
      if (shape.min !== undefined && value.length < shape.min) problems.push(`${at}: fewer than ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) problems.push(`${at}: more than ${shape.max}`);
      return problems;
    }
    case 'string':
      if (typeof value !== 'string') return [`${at}: expected a string`];
      if (shape.enum !== undefined && !shape.enum.includes(value)) return [`${at}: ${value} not in ${shape.enum.join('|')}`];
      return [];
    case 'integer':
    case 'long':
      return Number.isInteger(value) ? [] : [`${at}: expected an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
    default:
      return [`${at}: shape type ${shape.type} not checked`];
  }
}

/** The enum values the model gives a string shape. */
export function modelEnum(shapeName: string): string[] {
  return [...(model()[shapeName]?.enum ?? [])];
}
