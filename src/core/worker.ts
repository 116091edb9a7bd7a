import type { Logger } from "./log.ts";

/** A running background loop. */
export interface Worker {
  /** What it does, for the start-up log line. */
  readonly name: string;
  /** Stops the loop and waits for the current run to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `everyMs` (first run after `firstDelayMs`), never overlapping itself;
 * a failing run is logged and the loop goes on.
 */
export function everyInterval(
  name: string,
  everyMs: number,
  task: () => Promise<unknown>,
  log: Logger,
  firstDelayMs = everyMs,
): Worker {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    current = task().catch((error) =>
      log.error(`${name} failed`, { error: error instanceof Error ? error.message : String(error) })
    ).finally(() => {
      if (!stopped) timer = setTimeout(tick, everyMs);
    });
  };
  timer = setTimeout(tick, firstDelayMs);
  return {
    name,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
