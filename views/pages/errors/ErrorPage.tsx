import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';

export type ErrorKind = 'notFound' | 'forbidden' | 'tooLarge' | 'badRequest' | 'server' | 'tooMany';

/** Error pages say what happened and what to do, in the person's language; never a stack trace. */
export function ErrorPage({ ctx, kind, requestId }: { ctx: PageContext; kind: ErrorKind; requestId?: string }) {
  const { t } = ctx.tr;
  return (
    <Layout ctx={ctx} title={t(`common:errors.${kind}.title`)}>
      <h1>{t(`common:errors.${kind}.title`)}</h1>
      <p class="lead">{t(`common:errors.${kind}.body`)}</p>
      <p>{t(`common:errors.${kind}.action`)}</p>
      <ul class="link-list">
        <li>
          <a href="/">{t('common:errors.home')}</a>
        </li>
        <li>
          <a href="/plan-du-site">{t('common:errors.sitemap')}</a>
        </li>
      </ul>
      {requestId ? (
        <p class="muted">
          {t('common:errors.reference')} <code>{requestId}</code>
        </p>
      ) : null}
    </Layout>
  );
}
