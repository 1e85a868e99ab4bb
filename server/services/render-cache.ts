/**
 * A small in-process cache of rendered register fragments, emptied whenever the register changes.
 * The register changes rarely and is read a lot: a search's rendered results are kept until the next
 * write (the version is read from the database on every request, so a write made by another process,
 * such as `npm run register:import`, is seen at once). Bounded: least recently used entries go first.
 */
export type RenderCache<T> = {
  /** `version`: a number (the register's) or any string that changes with what the entries are built from. */
  get: (version: number | string, key: string, render: () => T) => T;
  size: () => number;
  /** How many times an entry was rendered (a miss): lets a test see that a page came from the cache. */
  renders: () => number;
};

export function createRenderCache<T = string>(maxEntries = 500): RenderCache<T> {
  let currentVersion: number | string = -1;
  let rendered = 0;
  const entries = new Map<string, T>();
  return {
    get(version, key, render) {
      if (version !== currentVersion) {
        entries.clear();
        currentVersion = version;
      }
      const hit = entries.get(key);
      if (hit !== undefined) {
        // Map keeps insertion order: re-inserting marks the entry as most recently used.
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const value = render();
      rendered++;
      entries.set(key, value);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    },
    size: () => entries.size,
    renders: () => rendered,
  };
}
