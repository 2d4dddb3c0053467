/**
 * The handler bundle's size, and its module load time over that of a bundle of the bare Connect client
 * (the floor), both measured above node's bare start.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { alternate, median } from './stats';

/** The result. */
export interface BundleResult {
  readonly bundleBytes: number;
  readonly bareClientBytes: number;
  /** Median time to load the handler bundle (`require`) in a fresh process, measured inside it. */
  readonly handlerLoadMs: number;
  /** Median time to load the bare-client bundle, measured the same way. */
  readonly bareClientLoadMs: number;
  /** Median wall time of `node -e ''` (node's bare start). */
  readonly bareNodeMs: number;
  /** Median wall time of a process that loads the handler bundle, minus node's bare start. */
  readonly handlerWallAboveNodeMs: number;
  /** The same for the bare-client bundle. */
  readonly bareClientWallAboveNodeMs: number;
  /** handlerLoadMs / bareClientLoadMs: the target's figure. */
  readonly initRatio: number;
  /** The wall-clock version of the same ratio. */
  readonly initWallRatio: number;
  readonly repetitions: number;
}

/**
 * Measure the bundle at `handlerBundle` (assets/handler/index.js).
 */
export async function measureBundle(handlerBundle: string, repetitions: number): Promise<BundleResult> {
  const workdir = mkdtempSync(join(tmpdir(), 'connect-sp-bench-bundle-'));
  try {
    // the floor: the Connect client and one command, bundled with the handler's own esbuild settings
    const entry = join(workdir, 'bare-client.ts');
    writeFileSync(entry, [
      "import { ConnectClient, DescribeSecurityProfileCommand } from '@aws-sdk/client-connect';",
      'export async function handler(): Promise<unknown> {',
      "  return new ConnectClient({}).send(new DescribeSecurityProfileCommand({ InstanceId: 'i', SecurityProfileId: 'p' }));",
      '}',
    ].join('\n'));
    const bareClient = join(workdir, 'bare-client.js');
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      minify: true,
      legalComments: 'none',
      outfile: bareClient,
      nodePaths: [join(__dirname, '..', 'node_modules')],
      logLevel: 'silent',
    });

    const loadInside = (file: string) => runNode(
      `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`,
    ).then((r) => ({ loadMs: Number(r.stdout), wallMs: r.wallMs }));
    const bare = () => runNode('').then((r) => ({ loadMs: 0, wallMs: r.wallMs }));

    // warm the OS file cache
    await loadInside(handlerBundle);
    await loadInside(bareClient);
    const pair = await alternate(repetitions, () => loadInside(handlerBundle), () => loadInside(bareClient));
    const nodeSamples: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      nodeSamples.push((await bare()).wallMs);
    }
    const bareNodeMs = median(nodeSamples);
    const handlerLoadMs = median(pair.a.map((s) => s.loadMs));
    const bareClientLoadMs = median(pair.b.map((s) => s.loadMs));
    const handlerWallAboveNodeMs = median(pair.a.map((s) => s.wallMs)) - bareNodeMs;
    const bareClientWallAboveNodeMs = median(pair.b.map((s) => s.wallMs)) - bareNodeMs;
    return {
      bundleBytes: statSync(handlerBundle).size,
      bareClientBytes: statSync(bareClient).size,
      handlerLoadMs,
      bareClientLoadMs,
      bareNodeMs,
      handlerWallAboveNodeMs,
      bareClientWallAboveNodeMs,
      initRatio: handlerLoadMs / bareClientLoadMs,
      initWallRatio: handlerWallAboveNodeMs / bareClientWallAboveNodeMs,
      repetitions,
    };
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

function runNode(script: string): Promise<{ stdout: string; wallMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0
      ? resolve({ stdout, wallMs: performance.now() - started })
      : reject(new Error(`node -e exited with code ${code}`))));
  });
}
