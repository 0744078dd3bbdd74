// Group commit: a write goes at once when none is in flight, the ones that arrive meanwhile go
// together in the next, every caller gets its own result, and a failed group does not fail the
// writes in it that would have succeeded on their own.
import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit.server";

/** A write whose calls can be finished one by one, as the database answers them. */
function heldWrites(fail: (item: string) => boolean = () => false) {
  const calls: Array<{ items: string[]; finish(): void }> = [];
  const write = (items: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({
        items,
        finish: () => {
          const bad = items.find(fail);
          if (bad) reject(new Error(`refused ${bad}`));
          else resolve(items.map((item) => `${item} written`));
        },
      });
    });
  return { calls, write };
}

/** Lets the promises settled so far run their callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("group commit", () => {
  it("writes at once when nothing is in flight, and groups what arrives meanwhile into the next write", async () => {
    const { calls, write } = heldWrites();
    const add = groupCommit(write);
    const first = add("a");
    expect(calls.map((c) => c.items)).toEqual([["a"]]);
    const rest = ["b", "c", "d"].map(add);
    await settle();
    // Still one write: the others wait for it, not for a timer.
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    expect(await first).toBe("a written");
    await settle();
    expect(calls.map((c) => c.items)).toEqual([["a"], ["b", "c", "d"]]);
    calls[1]!.finish();
    expect(await Promise.all(rest)).toEqual(["b written", "c written", "d written"]);
    // Idle again: the next write goes at once, alone.
    const later = add("e");
    expect(calls.at(-1)!.items).toEqual(["e"]);
    calls.at(-1)!.finish();
    expect(await later).toBe("e written");
  });

  it("puts at most `max` writes in one group", async () => {
    const { calls, write } = heldWrites();
    const add = groupCommit(write, { max: 2 });
    const all = ["a", "b", "c", "d", "e", "f"].map(add);
    for (let i = 0; i < 4; i++) {
      await settle();
      calls[i]!.finish();
    }
    await Promise.all(all);
    expect(calls.map((c) => c.items)).toEqual([["a"], ["b", "c"], ["d", "e"], ["f"]]);
  });

  it("tries each write of a failed group on its own, so that only the bad one fails", async () => {
    const { calls, write } = heldWrites((item) => item === "bad");
    const add = groupCommit(write);
    const first = add("a");
    const group = ["b", "bad", "c"].map((item) =>
      add(item).then(
        (result) => ({ result }),
        (error: Error) => ({ error: error.message }),
      ),
    );
    calls[0]!.finish();
    await first;
    for (let i = 1; i < 5; i++) {
      await settle();
      calls[i]!.finish();
    }
    expect(await Promise.all(group)).toEqual([
      { result: "b written" },
      { error: "refused bad" },
      { result: "c written" },
    ]);
    expect(calls.map((c) => c.items)).toEqual([["a"], ["b", "bad", "c"], ["b"], ["bad"], ["c"]]);
  });

  it("fails a write that fails on its own, and goes on writing after it", async () => {
    const { calls, write } = heldWrites((item) => item === "bad");
    const add = groupCommit(write);
    const bad = add("bad");
    calls[0]!.finish();
    await expect(bad).rejects.toThrow("refused bad");
    const next = add("a");
    calls[1]!.finish();
    expect(await next).toBe("a written");
  });
});
