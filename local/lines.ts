/**
 * The line protocol of the child processes the local tools run handlers in: each writes `@@READY` once it
 * has loaded and `@@RESULT <json>` for each answer, one per line.
 */
import type { Readable } from 'node:stream';

/** Call `onLine` with every complete line `stream` writes (without the newline). */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let buffer = '';
  stream.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      onLine(line);
    }
  });
}

/** Follow a child's stdout: `ready` at `@@READY`, `result` with each `@@RESULT` value. */
export function followProtocol(stdout: Readable, handlers: { ready(): void; result(value: unknown): void }): void {
  forEachLine(stdout, (line) => {
    if (line === '@@READY') handlers.ready();
    if (line.startsWith('@@RESULT ')) handlers.result(JSON.parse(line.slice('@@RESULT '.length)));
  });
}
