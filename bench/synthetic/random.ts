// A small seeded PRNG (sfc32, seeded through splitmix32) and the helpers the generator draws with. The same seed gives
// the same data on every machine, so a benchmark run can be repeated and a failing test reproduced.

export type Random = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Eight random hex digits. */
  hex8(): string;
};

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let warm = 0; warm < 12; warm += 1) nextUint();
  const next = () => nextUint() / 4294967296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    hex8: () => nextUint().toString(16).padStart(8, '0'),
  };
}

/** A table to draw from in proportion to weights, in O(log n) per draw. */
export type Weighted<T> = { items: readonly T[]; cumulative: Float64Array; total: number };

export function weighted<T>(entries: readonly (readonly [T, number])[]): Weighted<T> {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, weight], index) => {
    total += weight;
    cumulative[index] = total;
  });
  return { items: entries.map(([item]) => item), cumulative, total };
}

/** Weights falling with rank like real name frequencies (Zipf, s = 1), for a list already in order of frequency. */
export function byRank<T>(items: readonly T[], offset = 2): Weighted<T> {
  return weighted(items.map((item, rank) => [item, 1 / (rank + offset)] as const));
}

export function draw<T>(random: Random, table: Weighted<T>): T {
  const target = random.next() * table.total;
  let low = 0;
  let high = table.cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((table.cumulative[middle] ?? 0) > target) high = middle;
    else low = middle + 1;
  }
  const item = table.items[low];
  if (item === undefined) throw new Error('draw from an empty table');
  return item;
}
