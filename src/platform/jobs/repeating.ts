// A piece of work run again and again on a timer in this process (reading an inbox), one turn at a time: a turn never
// overlaps the one before, a failed turn is logged and the next one tries again, and stop waits for the turn in hand.
export type Repeating = { stop(): Promise<void> };

export function startRepeating(work: () => Promise<unknown>, log: { error(object: unknown, message: string): void }, failure: string, intervalMs: number): Repeating {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? 0 : work())).catch((error: unknown) => log.error({ err: error }, failure));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
