import * as fs from 'fs';
import * as path from 'path';
import { MODEL_FILES, SHARED_DIR, VENDORED_DIR, staleFiles } from '../scripts/sync-connect-model';

describe('the vendored Connect model (connect-model/)', () => {
  test('holds every model file', () => {
    for (const file of MODEL_FILES) {
      expect(fs.existsSync(path.join(VENDORED_DIR, file))).toBe(true);
    }
  });

  // Where the team's shared model sits beside the checkout (our machines and CI), the copy must match it:
  // a model update that was not synced (scripts/sync-connect-model.ts) fails here.
  const besideShared = fs.existsSync(SHARED_DIR) ? test : test.skip;
  besideShared('matches the shared model it was copied from', () => {
    expect(staleFiles()).toEqual([]);
  });
});
