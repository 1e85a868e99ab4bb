import { ErrorSummary } from '../../../components/ErrorSummary';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import { PasskeyCeremony } from './PasskeyCeremony';

/** /espace-pro/connexion: one button, a passkey; no name, no password. */
export function SignInPage({
  ctx,
  challengeId,
  options,
  retour,
  failed,
}: {
  ctx: PageContext;
  challengeId: string;
  options: unknown;
  retour?: string;
  failed?: boolean;
}) {
  const { t } = ctx.tr;
  const title = t('staff-auth:signIn.title');
  return (
    <Layout ctx={ctx} title={title} hasErrors={failed} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]}>
      <ErrorSummary t={t} errors={failed ? [{ field: 'passkey', href: '#passkey-button', message: t('staff-auth:errors.signIn') }] : []} />
      <h1>{title}</h1>
      <p class="lead">{t('staff-auth:signIn.lead')}</p>
      <p>{t('staff-auth:signIn.how')}</p>
      <PasskeyCeremony
        ctx={ctx}
        kind="authenticate"
        action="/espace-pro/connexion"
        challengeId={challengeId}
        options={options}
        button={t('staff-auth:signIn.button')}
        hidden={retour ? { retour } : {}}
      />
      <h2>{t('staff-auth:signIn.noPasskeyTitle')}</h2>
      <p>{t('staff-auth:signIn.noPasskey')}</p>
    </Layout>
  );
}
