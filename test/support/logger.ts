import type { HandlerLogger } from '../../lambda/logger';

/** One structured log line: the level, the message and the attributes, merged flat (as Powertools prints them). */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly [attribute: string]: unknown;
}

/** The logger double of every test: keeps each line the handler or the reconciler writes, for assertions. */
export class TestLogger implements HandlerLogger {
  public readonly lines: LogLine[] = [];
  public debug(message: string, ...attributes: Array<Record<string, unknown>>): void { this.push('debug', message, attributes); }
  public info(message: string, ...attributes: Array<Record<string, unknown>>): void { this.push('info', message, attributes); }
  public warn(message: string, ...attributes: Array<Record<string, unknown>>): void { this.push('warn', message, attributes); }
  public error(message: string, ...attributes: Array<Record<string, unknown>>): void { this.push('error', message, attributes); }

  /** The lines with this message. */
  public withMessage(message: string): LogLine[] { return this.lines.filter((l) => l.message === message); }

  /** Every line as JSON text, one a line. */
  public text(): string { return this.lines.map((l) => JSON.stringify(l)).join('\n'); }

  /** The last `count` lines as JSON text (for a failure message). */
  public tail(count: number): string { return this.lines.slice(-count).map((l) => JSON.stringify(l)).join('\n'); }

  /** Forget the lines so far. */
  public clear(): void { this.lines.length = 0; }

  private push(level: LogLine['level'], message: string, attributes: Array<Record<string, unknown>>): void {
    this.lines.push({ level, message, ...Object.assign({}, ...attributes) });
  }
}
