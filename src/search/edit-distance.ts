// Edit distance for fuzzy terms: Damerau's optimal string alignment (a swapped pair of letters
// is one typo, as in "kilo" / "klio"), cut off as soon as the distance must exceed `max`.

export function editDistanceWithin(a: string, b: string, max: number): number | undefined {
  if (Math.abs(a.length - b.length) > max) return undefined;
  if (a === b) return 0;
  const n = b.length;
  let previous2: number[] = [];
  let previous = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return undefined;
    previous2 = previous;
    previous = current;
  }
  const distance = previous[n]!;
  return distance <= max ? distance : undefined;
}

/** The nearest words of a vocabulary, closest first, at most `limit`. */
export function nearestTerms(term: string, vocabulary: Iterable<string>, max: number, limit: number): string[] {
  const found: { term: string; distance: number }[] = [];
  for (const candidate of vocabulary) {
    const distance = editDistanceWithin(term, candidate, max);
    if (distance !== undefined) found.push({ term: candidate, distance });
  }
  found.sort((x, y) => x.distance - y.distance || x.term.length - y.term.length || (x.term < y.term ? -1 : 1));
  return found.slice(0, limit).map((f) => f.term);
}
