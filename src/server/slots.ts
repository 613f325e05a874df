// A bound on how many costly jobs run at once (network analyses: each a worker thread that may use
// up to 1 GiB). Beyond `running`, up to `waiting` requests queue in order; past that they are
// refused at once, so a burst cannot exhaust the machine's memory.
export class SlotsFullError extends Error {}

export type Slots = { run<T>(job: () => Promise<T>): Promise<T>; readonly busy: number };

export function createSlots(running: number, waiting: number): Slots {
  let busy = 0;
  const queue: (() => void)[] = [];
  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else busy -= 1;
  };
  return {
    get busy() {
      return busy;
    },
    async run<T>(job: () => Promise<T>): Promise<T> {
      if (busy >= running) {
        if (queue.length >= waiting) throw new SlotsFullError(`${running} analyses are running and ${waiting} waiting`);
        // the slot passes straight from the finishing job to this one: busy stays the same
        await new Promise<void>((resolve) => queue.push(resolve));
      } else busy += 1;
      try {
        return await job();
      } finally {
        release();
      }
    },
  };
}
