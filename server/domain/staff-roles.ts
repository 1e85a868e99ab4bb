/**
 * The roles of the back office's staff: `admin` runs the service, `editor` keeps the register, `dpo`
 * answers the requests of their organisation, `cnam` those the CNAM answers.
 */
export const ROLES = ['admin', 'editor', 'dpo', 'cnam'] as const;
export type Role = (typeof ROLES)[number];
