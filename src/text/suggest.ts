/**
 * "Did you mean": the known names closest to a mistyped one. Hand-written (twenty lines) rather than a
 * package because the core must run unchanged on Workers and the lists are short (tens of names).
 */

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++)
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[rows - 1]![cols - 1]!;
}

/**
 * Up to `limit` known names close to `input` (case-insensitive), closest first: those within a third
 * of the input's length (at least 2 edits), and those that contain it or that it contains. Empty when
 * nothing is close — a list of everything is the caller's job.
 */
export function suggest(input: string, known: Iterable<string>, limit = 3): string[] {
  const wanted = input.toLowerCase();
  if (wanted.length === 0 || wanted.length > 200) return [];
  const allowed = Math.max(2, Math.floor(wanted.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(known)) {
    const candidate = name.toLowerCase();
    if (candidate === wanted) continue;
    if (candidate.length > 200) continue;
    const distance = editDistance(wanted, candidate);
    const contains = wanted.length >= 3 && (candidate.includes(wanted) || wanted.includes(candidate));
    if (distance <= allowed || contains)
      scored.push({ name, score: contains ? Math.min(distance, allowed) : distance });
  }
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, limit).map((s) => s.name);
}
