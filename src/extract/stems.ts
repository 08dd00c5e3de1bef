/**
 * Prefix lookup for stem lists ("уничтож" matches "уничтожены"): stems grouped by their first two
 * letters, so a word is compared with the few stems that can match, not with all of them.
 */
export class StemIndex<T> {
  private readonly byPrefix = new Map<number, Array<{ stem: string; exact: boolean; value: T }>>();
  private readonly short: Array<{ stem: string; exact: boolean; value: T }> = [];

  constructor(entries: ReadonlyArray<{ stem: string; exact?: boolean; value: T }>) {
    // Longest stems first: "атакував" (launched) wins over "атак" (hit).
    const sorted = [...entries].sort((a, b) => b.stem.length - a.stem.length);
    for (const e of sorted) {
      const item = { stem: e.stem, exact: e.exact ?? false, value: e.value };
      if (e.stem.length < 2) {
        this.short.push(item);
        continue;
      }
      const key = e.stem.charCodeAt(0) * 65536 + e.stem.charCodeAt(1);
      let list = this.byPrefix.get(key);
      if (!list) this.byPrefix.set(key, (list = []));
      list.push(item);
    }
  }

  /** The value of the longest stem the word starts with (or equals, for exact entries). */
  match(word: string): T | undefined {
    const list = word.length >= 2 ? this.byPrefix.get(word.charCodeAt(0) * 65536 + word.charCodeAt(1)) : undefined;
    if (list) {
      for (const e of list) if (e.exact ? word === e.stem : word.startsWith(e.stem)) return e.value;
    }
    for (const e of this.short) if (e.exact ? word === e.stem : word.startsWith(e.stem)) return e.value;
    return undefined;
  }

  has(word: string): boolean {
    return this.match(word) !== undefined;
  }
}

export function stemSet(stems: readonly string[]): StemIndex<true> {
  return new StemIndex(stems.map((stem) => ({ stem, value: true as const })));
}
