/**
 * Every record of a desired-state table, for assertions: a record that does not parse fails the test
 * that reads it (tests of malformed records read them through the reconciler instead).
 */
import { DynamoDbStateStore, isMalformed, StoredRecord } from '../../lambda/state-table';

/** Every record in scan order. */
export async function allRecords(store: DynamoDbStateStore): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  let after: string | undefined;
  do {
    const page = await store.scan(after, 100);
    for (const entry of page.records) {
      if (isMalformed(entry)) throw entry.error;
      out.push(entry);
    }
    after = page.nextAfter;
  } while (after !== undefined);
  return out;
}
