import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import type { Role } from '../../../../server/domain/staff-roles';

const LINKS: { href: string; key: string; roles: readonly Role[] }[] = [
  { href: '/espace-pro/demandes', key: 'requests', roles: ['admin', 'dpo', 'cnam'] },
  { href: '/espace-pro/registre', key: 'register', roles: ['admin', 'editor'] },
  { href: '/espace-pro/signalements', key: 'reports', roles: ['admin', 'editor'] },
  { href: '/espace-pro/admin', key: 'admin', roles: ['admin'] },
  { href: '/espace-pro/cles', key: 'passkeys', roles: ['admin', 'editor', 'dpo', 'cnam'] },
];

/** /espace-pro for a signed-in person: what their role lets them do, as links. */
export function StaffHomePage({
  ctx,
  role,
  passkeyCount,
  trouble,
}: {
  ctx: PageContext;
  role: 'admin' | 'editor' | 'dpo' | 'cnam';
  passkeyCount: number;
  trouble?: { dead: number; retrying: number };
}) {
  const { t } = ctx.tr;
  const title = t('staff:home.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{t('staff:home.lead', { role: t(`staff:home.roles.${role}`) })}</p>
      {passkeyCount < 2 ? (
        <div class="callout callout--warning">
          <p>
            {t('staff:home.oneKey')} <a href="/espace-pro/cles#ajouter">{t('staff-auth:passkeys.addButton')}</a>
          </p>
        </div>
      ) : null}
      {trouble && (trouble.dead > 0 || trouble.retrying > 0) ? (
        <div class="callout callout--warning" role="status">
          <h2>{t('staff:home.trouble.title')}</h2>
          <ul>
            {trouble.dead > 0 ? <li>{t('staff:home.trouble.dead', { count: trouble.dead })}</li> : null}
            {trouble.retrying > 0 ? <li>{t('staff:home.trouble.retrying', { count: trouble.retrying })}</li> : null}
          </ul>
          {role === 'admin' ? (
            <p>
              <a href="/espace-pro/admin/livraisons">{t('staff:home.trouble.link')}</a>
            </p>
          ) : (
            <p>{t('staff:home.trouble.dpo')}</p>
          )}
        </div>
      ) : null}
      <h2>{t('staff:home.whatTitle')}</h2>
      <ul class="link-list">
        {LINKS.filter((l) => l.roles.includes(role)).map((l) => (
          <li>
            <a href={l.href}>{t(`staff:home.links.${l.key}`)}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
