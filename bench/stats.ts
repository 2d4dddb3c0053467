/**
 * Small statistics and formatting helpers for the benchmarks.
 */

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    throw new Error('median of an empty list: the benchmark recorded no sample');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Run two measurements alternately (A B, B A, A B, ...) so that drift in the machine's load affects
 * both alike, and return every sample of each.
 */
export async function alternate<T>(
  repetitions: number,
  a: () => Promise<T>,
  b: () => Promise<T>,
): Promise<{ a: T[]; b: T[] }> {
  const out = { a: [] as T[], b: [] as T[] };
  for (let i = 0; i < repetitions; i++) {
    if (i % 2 === 0) {
      out.a.push(await a());
      out.b.push(await b());
    } else {
      out.b.push(await b());
      out.a.push(await a());
    }
  }
  return out;
}

/** `12.3 ms` / `4.56 s` */
export function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/** `1.23` */
export function ratio(value: number): string {
  return value.toFixed(2);
}

/** `815 KB` (1 KB = 1000 bytes) / `1.20 MB` */
export function bytes(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(2)} MB` : `${Math.round(n / 1000)} KB`;
}
