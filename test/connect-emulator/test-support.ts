/**
 * Helpers shared by the emulator's own tests.
 */

/**
 * The error a call rejected with; fails the test when the call succeeds.
 */
export async function failure(p: Promise<unknown>): Promise<any> {
  return p.then(() => { throw new Error('expected the call to fail'); }, (e) => e);
}
