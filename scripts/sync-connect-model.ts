/**
 * Copies the Connect API model (`connect-subset.json`, `permissions.json`, its README and checker) from
 * the team's shared folder (`../shared/connect-model`, beside the checkout) into `connect-model/`, so
 * that a clone of this repository is self-contained: the emulator, the permission generator and the tests
 * read `connect-model/`, wherever the clone lives.
 *
 *   npx tsx scripts/sync-connect-model.ts           copy (then `npx projen permissions:generate`)
 *   npx tsx scripts/sync-connect-model.ts --check   exit 1 if the vendored copy differs from ../shared
 *
 * Set CONNECT_MODEL_SOURCE to copy from elsewhere.
 */
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const VENDORED_DIR = path.join(REPO_ROOT, 'connect-model');
export const SHARED_DIR = process.env.CONNECT_MODEL_SOURCE ?? path.resolve(REPO_ROOT, '..', 'shared', 'connect-model');
export const MODEL_FILES = ['README.md', 'connect-subset.json', 'permissions.json', 'check-subset.mjs'];

/** The files whose vendored copy differs from (or is missing beside) the shared source. */
export function staleFiles(): string[] {
  return MODEL_FILES.filter((file) => {
    const vendored = path.join(VENDORED_DIR, file);
    return !fs.existsSync(vendored)
      || !fs.readFileSync(vendored).equals(fs.readFileSync(path.join(SHARED_DIR, file)));
  });
}

function main(): void {
  if (!fs.existsSync(SHARED_DIR)) {
    console.error(`sync-connect-model: no shared model at ${SHARED_DIR}; set CONNECT_MODEL_SOURCE`);
    process.exit(2);
  }
  const stale = staleFiles();
  if (process.argv.includes('--check')) {
    if (stale.length > 0) {
      console.error(`connect-model/ is out of date with ${SHARED_DIR}: ${stale.join(', ')}. `
        + 'Run `npx tsx scripts/sync-connect-model.ts`, then `npx projen permissions:generate`.');
      process.exit(1);
    }
    console.log('connect-model/ matches the shared model');
    return;
  }
  fs.mkdirSync(VENDORED_DIR, { recursive: true });
  for (const file of stale) {
    fs.copyFileSync(path.join(SHARED_DIR, file), path.join(VENDORED_DIR, file));
    console.log(`copied ${file}`);
  }
  console.log(stale.length ? `${stale.length} file(s) updated` : 'already up to date');
}

if (require.main === module) {
  main();
}
