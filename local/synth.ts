/**
 * Synthesize a CDK app in a fresh Node.js process, as `cdk synth` does.
 */
import { spawn } from 'node:child_process';

/** What to synthesize. */
export interface SynthOptions {
  /** The app's entry file (TypeScript, run with tsx). */
  readonly entry: string;
  /** The cloud assembly directory to write. */
  readonly outdir: string;
  /** Context values (`-c key=value`). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Extra environment variables for the app process. */
  readonly env?: Readonly<Record<string, string>>;
  /** Arguments passed to the app. */
  readonly args?: readonly string[];
}

/** The outcome of a synthesis. */
export interface SynthResult {
  /** Wall time of the whole process (start, module loading, construction, synthesis, exit). */
  readonly wallMs: number;
  /** What the app printed on stdout. */
  readonly stdout: string;
}

/**
 * Run the app in a new process with the `CDK_OUTDIR` and `CDK_CONTEXT_JSON` the CDK CLI would set.
 *
 * @throws when the app exits non-zero (the error carries its stderr)
 */
export function synthesizeInFreshProcess(options: SynthOptions): Promise<SynthResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), options.entry, ...(options.args ?? [])], {
      env: {
        ...process.env,
        ...options.env,
        CDK_OUTDIR: options.outdir,
        CDK_CONTEXT_JSON: JSON.stringify(options.context ?? {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`synthesis of ${options.entry} failed (exit code ${code}):\n${stderr.trim()}`));
        return;
      }
      resolve({ wallMs: performance.now() - started, stdout });
    });
  });
}
