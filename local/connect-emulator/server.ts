import * as http from 'http';
import { HandlerContext, OperationHandler } from './context';
import { ConnectError } from './errors';
import { callerOf, Fault, FaultInjector, FaultOptions, Hold, Holds, Throttler, ThrottlingOption } from './knobs';
import { ServiceModel } from './model';
import { Route, Router } from './routes';
import { Store } from './state';
import { ModelValidator } from './validator';

/** One served request, as the in-process request log keeps it. */
export interface LogEntry {
  readonly operation: string;
  readonly input: unknown;
  readonly status: number;
  readonly errorType?: string;
  /** epoch ms (for a held request, when it was applied) */
  readonly time: number;
  /** The access key id the request was signed with. */
  readonly caller?: string;
}

/** The live knobs a server reads on every request. */
export interface Knobs {
  throttler: Throttler;
  faults: FaultInjector;
  consistencyDelayMs: number;
}

/** Settings from which `Knobs` are built. */
export interface KnobOptions {
  readonly throttling?: ThrottlingOption;
  readonly faults?: FaultOptions;
  readonly consistencyDelayMs?: number;
}

/** Build the knobs from options (all off by default). */
export function buildKnobs(options: KnobOptions): Knobs {
  return {
    throttler: new Throttler(options.throttling),
    faults: new FaultInjector(options.faults),
    consistencyDelayMs: options.consistencyDelayMs ?? 0,
  };
}

/** Status codes of every modeled exception, plus the protocol's own. */
function errorStatuses(model: ServiceModel): Map<string, number> {
  const statuses = new Map<string, number>([['AccessDeniedException', 403], ['UnknownOperationException', 404]]);
  for (const [name, shape] of Object.entries(model.shapes)) {
    if (shape.exception && shape.error) {
      statuses.set(name, shape.error.httpStatusCode);
    }
  }
  return statuses;
}

/**
 * The HTTP side of the emulator: rest-json routing, input binding, throttling and fault knobs,
 * model validation, dispatch to operation handlers, modeled error responses and the request log.
 */
export class EmulatorServer {
  readonly server: http.Server;
  readonly log: LogEntry[] = [];
  /** Requests the tests pause (`ConnectEmulator.hold`). */
  readonly holds = new Holds();
  private readonly router: Router;
  private readonly validator: ModelValidator;
  private readonly statuses: Map<string, number>;
  private requestCounter = 0;

  constructor(
    model: ServiceModel,
    private readonly store: Store,
    private readonly handlers: Record<string, OperationHandler>,
    public knobs: Knobs,
  ) {
    this.router = new Router(model);
    this.validator = new ModelValidator(model);
    this.statuses = errorStatuses(model);
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 30_000;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
      this.serve(req, res, body);
    });
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const now = Date.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    let matched: ReturnType<Router['match']>;
    try {
      matched = this.router.match(req.method ?? 'GET', rawPath);
    } catch {
      this.sendError(res, 'Unknown', undefined, now, new ConnectError('InvalidRequestException', `the path ${rawPath} is not validly percent-encoded`));
      return;
    }
    if (!matched) {
      this.send(res, 404, { __type: 'UnknownOperationException', Message: `no Connect operation is bound to ${req.method} ${rawPath}` }, 'UnknownOperationException');
      this.log.push({ operation: 'Unknown', input: { method: req.method, path: rawPath }, status: 404, errorType: 'UnknownOperationException', time: now });
      return;
    }
    const { route, labels } = matched;
    const operation = route.operation;
    let input: Record<string, unknown>;
    try {
      input = bindInput(route, labels, q < 0 ? '' : url.slice(q + 1), body);
    } catch (e) {
      this.sendError(res, operation, undefined, now, e);
      return;
    }
    const caller = callerOf(req.headers.authorization);
    const hold = this.holds.match(operation, input, caller);
    if (hold?.options.answer === 'throttle') {
      hold.stop();
      this.sendError(res, operation, input, now, new ConnectError('ThrottlingException', 'Rate exceeded (held by the test)'), caller);
      return;
    }
    if (hold && hold.options.stage !== 'after') {
      // applied when released, as if it arrived then
      hold.stop(() => this.apply(req, res, route, input, Date.now(), caller));
      return;
    }
    this.apply(req, res, route, input, now, caller, hold);
  }

  private apply(
    req: http.IncomingMessage, res: http.ServerResponse, route: Route, input: Record<string, unknown>, now: number,
    caller: string | undefined, holdResponse?: Hold,
  ): void {
    const operation = route.operation;
    if (!this.knobs.throttler.take(operation, now)) {
      this.sendError(res, operation, input, now, new ConnectError('ThrottlingException', 'Rate exceeded'), caller);
      return;
    }
    const fault: Fault = this.knobs.faults.draw(operation);
    if (fault === 'internalError') {
      this.sendError(res, operation, input, now, new ConnectError('InternalServiceException', 'injected fault: internal service error'), caller);
      return;
    }
    if (fault === 'throttle') {
      this.sendError(res, operation, input, now, new ConnectError('ThrottlingException', 'Rate exceeded (injected fault)'), caller);
      return;
    }
    if (fault === 'dropConnection') {
      this.log.push({ operation, input, status: 0, errorType: 'ConnectionDropped', time: now, ...(caller !== undefined ? { caller } : {}) });
      req.socket.destroy();
      return;
    }
    let output: unknown;
    try {
      if (route.inputShape) {
        const issues = this.validator.validate(route.inputShape, input);
        if (issues.length > 0) {
          const kind = issues.some(i => i.kind === 'type') ? 'InvalidRequestException' : 'InvalidParameterException';
          const shown = issues.slice(0, 10).map(i => i.message);
          throw new ConnectError(kind, `${issues.length} validation error${issues.length > 1 ? 's' : ''} detected: ${shown.join('; ')}`);
        }
      }
      const handler = this.handlers[operation];
      if (!handler) {
        throw new ConnectError('InternalServiceException', `the emulator does not implement ${operation}`);
      }
      const ctx: HandlerContext = { store: this.store, region: this.store.region, now, consistencyDelayMs: this.knobs.consistencyDelayMs };
      output = handler(input, ctx);
    } catch (e) {
      if (fault === 'appliedButResponseLost') {
        this.log.push({ operation, input, status: 0, errorType: 'ResponseLost', time: now, ...(caller !== undefined ? { caller } : {}) });
        req.socket.destroy();
        return;
      }
      this.sendError(res, operation, input, now, e, caller);
      return;
    }
    if (fault === 'appliedButResponseLost') {
      this.log.push({ operation, input, status: 0, errorType: 'ResponseLost', time: now, ...(caller !== undefined ? { caller } : {}) });
      req.socket.destroy();
      return;
    }
    this.log.push({ operation, input, status: 200, time: now, ...(caller !== undefined ? { caller } : {}) });
    if (holdResponse) {
      holdResponse.stop(() => this.send(res, 200, output ?? {}));
      return;
    }
    this.send(res, 200, output ?? {});
  }

  private sendError(res: http.ServerResponse, operation: string, input: unknown, now: number, e: unknown, caller?: string): void {
    const error = e instanceof ConnectError ? e
      : new ConnectError('InternalServiceException', `emulator failure: ${(e as Error)?.stack ?? String(e)}`);
    const status = this.statuses.get(error.type) ?? 500;
    this.log.push({ operation, input, status, errorType: error.type, time: now, ...(caller !== undefined ? { caller } : {}) });
    this.send(res, status, { __type: error.type, Message: error.message, ...error.extra }, error.type);
  }

  private send(res: http.ServerResponse, status: number, payload: unknown, errorType?: string): void {
    const text = JSON.stringify(payload);
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': `emu-${++this.requestCounter}`,
    };
    if (errorType) {
      headers['x-amzn-errortype'] = errorType;
    }
    res.writeHead(status, headers);
    res.end(text);
  }
}

/** Build the operation input from path labels, query parameters and the JSON body. */
function bindInput(route: Route, labels: Record<string, string>, rawQuery: string, body: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (body.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new ConnectError('InvalidRequestException', 'the request body is not valid JSON; send a JSON object');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConnectError('InvalidRequestException', 'the request body must be a JSON object');
    }
    const obj = parsed as Record<string, unknown>;
    for (const m of route.bodyMembers) {
      if (obj[m] !== undefined) {
        input[m] = obj[m];
      }
    }
  }
  if (rawQuery && route.query.length > 0) {
    const params = new URLSearchParams(rawQuery);
    for (const q of route.query) {
      if (q.list) {
        const all = params.getAll(q.wire);
        if (all.length > 0) {
          input[q.member] = all;
        }
      } else {
        const v = params.get(q.wire);
        if (v !== null) {
          input[q.member] = q.numeric && /^-?\d+$/.test(v) ? Number(v) : v;
        }
      }
    }
  }
  Object.assign(input, labels);
  return input;
}
