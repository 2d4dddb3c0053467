/**
 * Step-by-step console output for the demo, and the expectations that make it exit non-zero.
 */

/** Thrown when an outcome differs from what the step expects. */
export class ExpectationFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectationFailed';
  }
}

/**
 * Check an outcome; throws `ExpectationFailed` with `message` when it does not hold.
 */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new ExpectationFailed(message);
  }
}

const tty = process.stdout.isTTY === true;
const paint = (code: string, text: string) => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);

/** Console styles. */
export const style = {
  bold: (t: string) => paint('1', t),
  dim: (t: string) => paint('2', t),
  green: (t: string) => paint('32', t),
  red: (t: string) => paint('31', t),
  yellow: (t: string) => paint('33', t),
  cyan: (t: string) => paint('36', t),
};

/** One step of the demo: a title and what it does; it reports with `out` and checks with `expectThat`. */
export interface DemoStep {
  readonly title: string;
  run(out: StepOutput): Promise<void>;
}

/** Where a step writes what it observed. */
export interface StepOutput {
  /** A plain line under the step. */
  info(text: string): void;
  /** A checked outcome (printed with a tick). */
  ok(text: string): void;
  /** A detail line (dimmed). */
  detail(text: string): void;
}

/** The result of a run. */
export interface DemoResult {
  readonly passed: number;
  readonly failed?: { readonly step: string; readonly error: string };
  readonly durationMs: number;
}

/**
 * Run the steps in order; stop at the first failure.
 */
export async function runSteps(steps: readonly DemoStep[]): Promise<DemoResult> {
  const started = performance.now();
  const indent = '      ';
  const out: StepOutput = {
    info: (t) => console.log(`${indent}${t}`),
    ok: (t) => console.log(`${indent}${style.green('✔')} ${t}`),
    detail: (t) => console.log(`${indent}${style.dim(t)}`),
  };
  let passed = 0;
  for (const [i, step] of steps.entries()) {
    const t0 = performance.now();
    console.log(`\n${style.bold(style.cyan(`[${i + 1}/${steps.length}]`))} ${style.bold(step.title)}`);
    try {
      await step.run(out);
      passed++;
      console.log(`${indent}${style.dim(`(${seconds(performance.now() - t0)})`)}`);
    } catch (e) {
      const error = e instanceof ExpectationFailed
        ? `unexpected outcome: ${e.message}`
        : `${e instanceof Error ? e.stack ?? e.message : String(e)}`;
      console.log(`${indent}${style.red('✘')} ${style.red(error)}`);
      return { passed, failed: { step: step.title, error }, durationMs: performance.now() - started };
    }
  }
  return { passed, durationMs: performance.now() - started };
}

/** `1.2 s` */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
