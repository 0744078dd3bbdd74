// Wakes the worker of this process (WORKER=inline) when a request queues work for it: a
// supporter's confirmation e-mail, or the letters of a confirmed signature. It then sends at once
// instead of at its next poll (WORKER_POLL_MS); workers in other processes find the work by polling.
//
// Process-wide: the server (server/index.ts) and the Remix build each load the app's modules, and
// a wake-up from the build's actions must reach the worker the server started (as ~/services.server
// shares the mail transport).
type Listener = () => void;
const globalForListeners = globalThis as unknown as { __sincerelyWorkQueuedListeners?: Set<Listener> };
const listeners = (globalForListeners.__sincerelyWorkQueuedListeners ??= new Set<Listener>());

/** Calls `listener` whenever this process queues work for a worker. Returns the unsubscribe function. */
export function onWorkQueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells this process's worker (if any) that work waits; call after the commit that queued it. */
export function workQueued(): void {
  for (const listener of listeners) listener();
}
