// Group commit for the worker's outcome writes. Every letter (and supporter e-mail) that goes out
// costs one write to record it, and the worker sends several side by side: as one statement each,
// those writes were a round trip, a commit and a socket write apiece, most of a worker's
// statements, and on PostgreSQL the queue missed its target for them (bench/README.md). Here a
// write goes at once when none is in flight; the ones that arrive while it is go together in the
// next, as a database's own group commit does. Nothing waits for a timer, so no write is later than
// it would have been behind the one in flight, and each caller learns its own outcome.
//
// A group is all or nothing (one transaction). Should it fail, each of its writes is tried on its
// own, so that one bad write (a row a trigger refuses) fails alone instead of taking its group's
// letters with it.

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Returns `add(item)`, which resolves with `write`'s result for that item. `write` takes a group
 * of items and resolves with one result per item, in order; at most `max` items go in one group.
 */
export function groupCommit<T, R>(
  write: (items: T[]) => Promise<R[]>,
  { max = 100 }: { max?: number } = {},
): (item: T) => Promise<R> {
  let waiting: Waiting<T, R>[] = [];
  let writing = false;

  async function settle(group: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await write(group.map((w) => w.item));
      group.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      for (const w of group) await settle([w]);
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (waiting.length > 0) {
        const group = waiting.slice(0, max);
        waiting = waiting.slice(max);
        await settle(group);
      }
    } finally {
      writing = false;
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}
