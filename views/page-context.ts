import type { Role } from '../server/domain/staff-roles';
import type { Lang, Translator } from '../server/i18n';

/** What every full page needs from the request, as plain values (views never see the Hono context). */
export type PageContext = {
  tr: Translator;
  nonce: string | undefined;
  /** The current path, to mark the navigation and keep the user on the same page when switching language. */
  path: string;
  /** The same page in each language. */
  alternates: Record<Lang, string>;
  csrfToken: () => string;
  assetVersion: string;
  /**
   * In the staff back office: who is signed in. Role and organisation decide the navigation; the address
   * and organisation name are shown to that person only, in the header.
   */
  staff?: { role: Role; organisationId: string | null; email?: string; organisationName?: string };
};

export type Crumb = { href: string; label: string };
