/**
 * A small in-process cache of rendered register fragments, emptied whenever the register changes.
 * The register changes rarely and is read a lot: a search's rendered results are kept until the next
 * write (the version is read from the database on every request, so a write made by another process,
 * such as `npm run register:import`, is seen at once). Bounded: least recently used entries go first.
 */
export type RenderCache<T> = {
  get: (version: number, key: string, render: () => T) => T;
  size: () => number;
};

export function createRenderCache<T = string>(maxEntries = 500): RenderCache<T> {
  let currentVersion = -1;
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
      entries.set(key, value);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    },
    size: () => entries.size,
  };
}
