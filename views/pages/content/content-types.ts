/** The shape of a content page document in locales/<lng>/pages/<slug>.json (see locales/README.md). */
export type Link = { href: string; label: string };
export type Block =
  | { p: string }
  | { ul: string[] }
  | { ol: string[] }
  | { dl: { term: string; definition: string }[] }
  | { qa: { q: string; a: string[] }[] }
  | { note: string }
  | { source: string }
  | { links: Link[] };
export type Section = { heading: string; blocks: Block[] };
export type ContentDoc = { title: string; summary: string; lead: string; sections: Section[]; next: Link[] };
