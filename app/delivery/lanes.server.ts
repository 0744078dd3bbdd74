// Letters and supporter e-mails go out a few side by side, one per connection of the SMTP pool:
// one at a time, a worker would wait out every round trip to the mail server with the pool idle.

/**
 * Runs `each` for the items in order, at most `width` at a time: a lane takes the next item as
 * soon as its last one is done. `more` is asked before each start (a stopping worker starts no
 * more). `each` handles its own errors: one that escapes stops that lane only.
 */
export async function inLanes<T>(
  items: readonly T[],
  width: number,
  each: (item: T) => Promise<void>,
  more: () => boolean = () => true,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (more() && next < items.length) await each(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, width), items.length) }, lane));
}
