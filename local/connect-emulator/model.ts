import { readFileSync } from 'fs';
import * as path from 'path';

/** A member reference inside a botocore structure. */
export interface MemberRef {
  readonly shape: string;
  readonly location?: 'uri' | 'querystring' | 'header';
  readonly locationName?: string;
  readonly box?: boolean;
  readonly idempotencyToken?: boolean;
}

/** A botocore shape (only the keys the emulator reads). */
export interface Shape {
  readonly type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'double' | 'float' | 'blob';
  readonly members?: Record<string, MemberRef>;
  readonly required?: string[];
  readonly member?: MemberRef;
  readonly key?: MemberRef;
  readonly value?: MemberRef;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: string[];
  readonly sensitive?: boolean;
  readonly union?: boolean;
  readonly exception?: boolean;
  readonly error?: { readonly httpStatusCode: number };
}

/** A botocore operation (only the keys the emulator reads). */
export interface Operation {
  readonly name: string;
  readonly http: { readonly method: string; readonly requestUri: string };
  readonly input?: { readonly shape: string };
  readonly output?: { readonly shape: string };
  readonly errors?: Array<{ readonly shape: string }>;
}

/** A paginator entry from paginators-1.json. */
export interface Paginator {
  readonly input_token: string;
  readonly output_token: string;
  readonly limit_key: string;
  readonly result_key: string;
}

/** The merged service model the emulator serves. */
export interface ServiceModel {
  readonly operations: Record<string, Operation>;
  readonly shapes: Record<string, Shape>;
  readonly pagination: Record<string, Paginator>;
}

/**
 * Where the Connect model lives: `connect-model/connect-subset.json` in the repository (vendored from the
 * team's shared model by scripts/sync-connect-model.ts).
 *
 * `CONNECT_MODEL_PATH` overrides it (a path to connect-subset.json).
 */
export function subsetModelPath(): string {
  if (process.env.CONNECT_MODEL_PATH) {
    return process.env.CONNECT_MODEL_PATH;
  }
  // local/connect-emulator -> repository root
  return path.resolve(__dirname, '..', '..', 'connect-model', 'connect-subset.json');
}

let cached: ServiceModel | undefined;

/**
 * Load the subset model and merge the emulator's supplementary shapes (operations the JS client has and
 * the subset lacks: CreateInstance, ListSecurityProfileFlowModules, ListSecurityProfileAIAgents, and the
 * `AllowedAIAgents` member). Cached after the first call.
 */
export function loadModel(): ServiceModel {
  if (cached) {
    return cached;
  }
  const file = subsetModelPath();
  let subset: any;
  try {
    subset = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`connect emulator: cannot read the Connect model at ${file} (${(e as Error).message}); `
      + 'run `npx tsx scripts/sync-connect-model.ts` or set CONNECT_MODEL_PATH');
  }
  const extra = JSON.parse(readFileSync(path.join(__dirname, 'supplementary-model.json'), 'utf8'));
  const shapes: Record<string, Shape> = { ...subset.shapes };
  for (const [name, shape] of Object.entries(extra.shapes as Record<string, Shape>)) {
    if (!shapes[name]) {
      shapes[name] = shape;
    }
  }
  for (const [shapeName, members] of Object.entries(extra.memberAdditions as Record<string, Record<string, MemberRef>>)) {
    const base = shapes[shapeName];
    if (base?.members) {
      shapes[shapeName] = { ...base, members: { ...members, ...base.members } };
    }
  }
  const operations: Record<string, Operation> = { ...extra.operations, ...subset.operations };
  for (const [name, op] of Object.entries(operations)) {
    operations[name] = { ...op, name };
  }
  cached = { operations, shapes, pagination: { ...extra.pagination, ...subset.pagination } };
  return cached;
}
