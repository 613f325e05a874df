// How well a found partition matches a known one, for the community tests.

/** Normalised mutual information (arithmetic mean normalisation): 1 for identical partitions. */
export function normalisedMutualInformation(found: readonly number[], truth: readonly number[]): number {
  const n = found.length;
  const foundCounts = countLabels(found);
  const truthCounts = countLabels(truth);
  const jointCounts = countLabels(found.map((label, i) => `${label}|${truth[i]}`));
  let mutual = 0;
  for (const [pair, count] of jointCounts) {
    const [a, b] = pair.split('|');
    const expected = ((foundCounts.get(Number(a)) ?? 0) * (truthCounts.get(Number(b)) ?? 0)) / n;
    mutual += (count / n) * Math.log(count / expected);
  }
  const entropies = entropy(foundCounts, n) + entropy(truthCounts, n);
  return entropies === 0 ? 1 : (2 * mutual) / entropies;
}

/** Share of accounts whose found community's most common true label is their own. */
export function purity(found: readonly number[], truth: readonly number[]): number {
  const byFound = new Map<number, number[]>();
  found.forEach((label, i) => {
    const list = byFound.get(label) ?? [];
    list.push(truth[i] ?? -1);
    byFound.set(label, list);
  });
  let agreeing = 0;
  for (const labels of byFound.values()) agreeing += Math.max(...countLabels(labels).values());
  return agreeing / found.length;
}

function countLabels<T>(labels: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return counts;
}

function entropy(counts: Map<unknown, number>, n: number): number {
  let h = 0;
  for (const count of counts.values()) h -= (count / n) * Math.log(count / n);
  return h;
}
