// SQLite's WAL checkpoints, moved off the event loop. In WAL mode a commit appends every page it
// changed to the WAL, and by default the commit that takes the WAL past 1,000 pages copies them
// all into the database file before it returns. A signature changes about thirty pages (the rows
// and their indexes), so every thirtieth or so paid 5–14 ms (measured), with the event loop
// stopped: every request in flight waited. A long-running process (the web server, a worker)
// turns that off on its own connections and checkpoints from a thread of its own instead, every
// `intervalMs`, with PASSIVE checkpoints (which never wait for, nor hold up, a writer).
//
// Durability is unchanged: a commit is in the WAL either way, and a crash replays the WAL on the
// next open. If the thread dies, the connections go back to checkpointing on commit.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { sqliteFileOf, type Db } from "~/db/client.server";
import { sqliteConnection } from "~/db/direct/sqlite.server";

/** A thread's error for the log: a SqliteError arrives from the thread as its code alone. */
const why = (error: Error) => error.message || JSON.stringify(error);

/** SQLite's own default: the WAL size, in pages, at which a commit checkpoints. */
const AUTO_CHECKPOINT_PAGES = 1000;

// CommonJS, evaluated in the thread (its own module graph, so no TypeScript and no app code). It
// loads better-sqlite3 from the path the main thread resolved (not from the working directory),
// and says "ready" once the database is open.
const THREAD = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    // Busy now (another checkpoint runs): the next tick tries again.
    if (!String(error && error.code).startsWith("SQLITE_BUSY")) throw error;
  }
}, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); db.close(); parentPort.close(); });
parentPort.postMessage("ready");
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts the thread for a SQLite client (nothing for PostgreSQL, which checkpoints on its own). */
export async function startSqliteCheckpoints(db: Db, { intervalMs = 200 } = {}): Promise<Checkpointer> {
  const file = sqliteFileOf(db);
  if (!file) return { stop: async () => {} };
  const setAuto = async (pages: number) => {
    // Both of the process's connections to the file: Prisma's and the direct road's.
    await db.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${pages}`);
    sqliteConnection(file).pragma(`wal_autocheckpoint = ${pages}`);
  };
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const thread = new Worker(THREAD, { eval: true, workerData: { file, intervalMs, driver } });
  let stopped = false;
  // Commits stop checkpointing only once the thread has the database open; if it fails before,
  // they go on as SQLite's default has them.
  const ready = await new Promise<boolean>((resolve) => {
    const failed = (error: Error) => {
      console.warn(`[db] the checkpoint thread did not start (${why(error)}); commits checkpoint as usual`);
      resolve(false);
    };
    thread.once("error", failed);
    thread.once("message", () => {
      thread.off("error", failed);
      resolve(true);
    });
  });
  if (!ready) return { stop: async () => {} };
  thread.on("error", (error) => console.warn(`[db] the checkpoint thread failed: ${why(error)}`));
  thread.on("exit", () => {
    if (!stopped) void setAuto(AUTO_CHECKPOINT_PAGES).catch(() => {});
  });
  // Not holding the process open: it ends when the process does.
  thread.unref();
  await setAuto(0);
  return {
    async stop() {
      stopped = true;
      thread.postMessage("stop");
      await new Promise((resolve) => thread.once("exit", resolve));
      await setAuto(AUTO_CHECKPOINT_PAGES).catch(() => {});
    },
  };
}
