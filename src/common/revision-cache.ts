/** A counter, or counters that only grow read together and joined into one string. */
export type Revision = number | string;

/**
 * Values tagged with the revision of what they were made from. A value is served only to a caller who brings the same
 * revision, read from the database (an explicit counter, see database/revisions.ts, or several read together and
 * written as one string), so every instance agrees on what is current without telling each other anything.
 * Beyond `maxSize` (as measured by `sizeOf`) the least recently read values go first.
 */
export class RevisionCache<V> {
  private readonly entries = new Map<string, { revision: Revision; value: V }>();
  private size = 0;

  constructor(
    private readonly maxSize: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get(key: string, revision: Revision): V | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.revision !== revision) return undefined;
    // read again, so it moves to the young end of the map's order
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value kept for this revision, or the one `make` builds, kept for it from then on. */
  async getOrMake(key: string, revision: Revision, make: () => Promise<V>): Promise<V> {
    const kept = this.get(key, revision);
    if (kept !== undefined) return kept;
    const made = await make();
    this.set(key, revision, made);
    return made;
  }

  set(key: string, revision: Revision, value: V): void {
    this.remove(key);
    const size = this.sizeOf(value);
    if (size > this.maxSize / 4) return;
    this.entries.set(key, { revision, value });
    this.size += size;
    for (const oldest of this.entries.keys()) {
      if (this.size <= this.maxSize) break;
      this.remove(oldest);
    }
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.size -= this.sizeOf(entry.value);
  }
}
