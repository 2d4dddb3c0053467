/**
 * A pass-through HTTP proxy in front of dynalite that the writers (handler and reconciler, in-process
 * or in child processes) reach through `AWS_ENDPOINT_URL_DYNAMODB`. It does two things dynalite cannot:
 *
 * - it keeps a journal of the desired-state writes as they commit (each with the length of the Connect
 *   emulator's request log at that moment, so Connect writes and record writes fall in one order);
 * - it holds the next matching request (by operation and table key) until the test releases it, so a
 *   test can pause a writer between two DynamoDB calls, as the emulator's `hold` does between Connect calls.
 *
 * Requests are forwarded unchanged (SigV4 is not checked by dynalite).
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { SecurityProfileState, withOwnerMark } from '../../lambda/profile-state';
import { parseProperties } from '../../lambda/properties';
import { DESIRED_STATE_PARTITION_KEY } from '../../src/private/contract';

/** One committed write of a desired-state record (or its removal). */
export interface RecordWrite {
  /** The table key, `<instanceId>/<securityProfileId>`. */
  readonly key: string;
  /** The desired state written; undefined when the record was removed. */
  readonly desired?: SecurityProfileState;
  /** The record's drift mode (absent when removed). */
  readonly driftMode?: string;
  /** The emulator's request log length when the write committed: Connect writes at or after it came later. */
  readonly connectLogIndex: number;
}

/** Which DynamoDB request a hold stops. */
export interface DynamoHoldOptions {
  /** The operation (`X-Amz-Target` suffix), e.g. `UpdateItem`. */
  readonly operation: string;
  /** Only requests whose table key starts with this (`#lease:` for leases, a profile key for its record). */
  readonly keyPrefix?: string;
  /** Only requests signed with this access key id. */
  readonly caller?: string;
}

/** A hold of the proxy. */
export interface DynamoHold {
  /** Resolves once a request was held. */
  readonly reached: Promise<void>;
  /** Forward the held request (and stop holding). */
  release(): void;
}

/** A running proxy. */
export interface DynamoProxy {
  /** 'http://127.0.0.1:<port>' */
  readonly endpoint: string;
  /** Record writes, in commit order. */
  readonly journal: RecordWrite[];
  /** Hold the next matching request. */
  hold(options: DynamoHoldOptions): DynamoHold;
  stop(): Promise<void>;
}

/**
 * Start a proxy to `target` (dynalite's endpoint). `connectLogLength` reads the emulator's request log
 * length (the journal's clock).
 */
export async function startDynamoProxy(target: string, connectLogLength: () => number): Promise<DynamoProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const journal: RecordWrite[] = [];
  const holds: Array<{ options: DynamoHoldOptions; held: boolean; resume?: () => void; released: boolean; reached: () => void }> = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      let parsed: Record<string, any> = {};
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        // forwarded as is: dynalite answers the malformed request
      }
      const key: string = parsed.Key?.[DESIRED_STATE_PARTITION_KEY]?.S ?? '';
      const caller = /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
      const forward = () => {
        const out = http.request({
          host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent,
        }, (up) => {
          const responseChunks: Buffer[] = [];
          up.on('data', (c: Buffer) => responseChunks.push(c));
          up.on('end', () => {
            if (up.statusCode === 200) noteWrite(operation, key, parsed);
            res.writeHead(up.statusCode ?? 500, up.headers);
            res.end(Buffer.concat(responseChunks));
          });
        });
        out.on('error', () => res.destroy());
        out.end(body);
      };
      const hold = holds.find((h) => !h.held && !h.released && h.options.operation === operation
        && (h.options.keyPrefix === undefined || key.startsWith(h.options.keyPrefix))
        && (h.options.caller === undefined || h.options.caller === caller));
      if (hold) {
        hold.held = true;
        hold.resume = forward;
        hold.reached();
      } else {
        forward();
      }
    });
  });

  function noteWrite(operation: string, key: string, input: Record<string, any>): void {
    if (key === '' || key.startsWith('#')) return;
    if (operation === 'DeleteItem') {
      journal.push({ key, connectLogIndex: connectLogLength() });
      return;
    }
    if (operation !== 'UpdateItem' && operation !== 'PutItem') return;
    const attributes = attributesOf(input);
    const properties = attributes.properties?.S as string | undefined;
    if (properties === undefined) return; // a status update of the reconciler, not a desired state
    const { profile } = parseProperties(JSON.parse(properties));
    const mark = attributes.ownerMark?.S;
    const desired = mark === undefined ? profile : withOwnerMark(profile, mark);
    journal.push({ key, desired, driftMode: attributes.driftMode?.S as string | undefined, connectLogIndex: connectLogLength() });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    journal,
    hold(options) {
      let reached: () => void = () => undefined;
      const entry = { options, held: false, released: false, reached: () => reached() };
      const promise = new Promise<void>((resolve) => { reached = resolve; });
      holds.push(entry);
      return {
        reached: promise,
        release() {
          entry.released = true;
          (entry as { resume?: () => void }).resume?.();
        },
      };
    },
    async stop() {
      for (const h of holds) h.resume?.();
      agent.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The attributes a write sets, by name (a PutItem's item, or an UpdateItem's `SET #a = :v` pairs). */
function attributesOf(input: Record<string, any>): Record<string, any> {
  if (input.Item) return input.Item as Record<string, any>;
  const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
  const values: Record<string, any> = input.ExpressionAttributeValues ?? {};
  const expression: string = input.UpdateExpression ?? '';
  const out: Record<string, any> = {};
  for (const [alias, name] of Object.entries(names)) {
    const m = new RegExp(`${alias}\\s*=\\s*(:[A-Za-z0-9_]+)`).exec(expression);
    if (m) out[name] = values[m[1]];
  }
  return out;
}
