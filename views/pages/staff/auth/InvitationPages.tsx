import { ErrorSummary, type FormError } from '../../../components/ErrorSummary';
import { TextField } from '../../../components/FormFields';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import { PasskeyCeremony } from './PasskeyCeremony';

const home = (ctx: PageContext) => [{ href: '/', label: ctx.tr.t('common:breadcrumb.home') }];

export type InvitationView = { token: string; role: string; existingUser: boolean; expiresAt: string };

/** /espace-pro/invitation/<token>: name the passkey, then create it on this device. */
export function InvitationPage({
  ctx,
  invitation,
  challengeId,
  options,
  name,
  errors,
}: {
  ctx: PageContext;
  invitation: InvitationView;
  challengeId: string;
  options: unknown;
  name?: string;
  errors: FormError[];
}) {
  const { t, date } = ctx.tr;
  const title = t('staff-auth:invitation.title');
  const nameError = errors.find((e) => e.field === 'name')?.message;
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={home(ctx)}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{title}</h1>
      <p class="lead">
        {invitation.existingUser
          ? t('staff-auth:invitation.leadExisting')
          : t('staff-auth:invitation.lead', { role: t(`staff:home.roles.${invitation.role}`) })}
      </p>
      <p>{t('staff-auth:invitation.what')}</p>
      <p>{t('staff-auth:invitation.expires', { date: date(invitation.expiresAt) })}</p>
      <PasskeyCeremony
        ctx={ctx}
        kind="register"
        action={`/espace-pro/invitation/${invitation.token}`}
        challengeId={challengeId}
        options={options}
        button={t('staff-auth:invitation.button')}
      >
        <TextField
          t={t}
          name="name"
          label={t('staff-auth:fields.name.label')}
          hint={t('staff-auth:fields.name.hint')}
          error={nameError}
          value={name}
          width="medium"
          autocomplete="off"
        />
      </PasskeyCeremony>
    </Layout>
  );
}

export function InvitationInvalidPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx.tr;
  const title = t('staff-auth:invitation.invalidTitle');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={home(ctx)}>
      <h1>{title}</h1>
      <p>{t('staff-auth:invitation.invalid')}</p>
      <p>{t('staff-auth:invitation.invalidWhat')}</p>
      <p>
        <a href="/espace-pro/connexion">{t('staff-auth:signIn.title')}</a>
      </p>
    </Layout>
  );
}
