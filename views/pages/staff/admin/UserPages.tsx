/**
 * Staff users: the list and the invitation form, one user's page (change role, disable),
 * and the page that shows a new invitation link, once.
 */
import { ErrorSummary } from '../../../components/ErrorSummary';
import { TableRegion } from '../../../components/TableRegion';
import { CsrfField, TextField } from '../../../components/FormFields';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import {
  adminCrumbs,
  CopyField,
  dateTime,
  errorFor,
  Notice,
  NS,
  ROLE_VALUES,
  SelectField,
  summaryItems,
  type AdminFormError,
  type FormValues,
  type SelectOption,
} from './common';

export type UserItem = {
  id: string;
  email: string | null;
  role: (typeof ROLE_VALUES)[number];
  organisationId: string | null;
  organisationName: string | null;
  createdAt: string;
  disabledAt: string | null;
};

type Choices = { id: string; name: string }[];

function RoleFields({ ctx, organisations, values, errors }: { ctx: PageContext; organisations: Choices; values: FormValues; errors: AdminFormError[] }) {
  const { t } = ctx.tr;
  const roles: SelectOption[] = ROLE_VALUES.map((r) => ({ value: r, label: t(`${NS}:roles.${r}`) }));
  const orgs: SelectOption[] = [{ value: '', label: t(`${NS}:users.noOrganisation`) }, ...organisations.map((o) => ({ value: o.id, label: o.name }))];
  return (
    <>
      <SelectField
        t={t}
        id="f-role"
        name="role"
        label={t(`${NS}:users.role`)}
        hint={t(`${NS}:users.roleHint`)}
        value={values.role}
        error={errorFor(t, errors, 'role')}
        options={[{ value: '', label: t(`${NS}:users.chooseRole`) }, ...roles]}
      />
      <SelectField
        t={t}
        id="f-organisationId"
        name="organisationId"
        label={t(`${NS}:users.organisation`)}
        hint={t(`${NS}:users.organisationHint`)}
        value={values.organisationId}
        error={errorFor(t, errors, 'organisationId')}
        options={orgs}
      />
    </>
  );
}

const status = (t: PageContext['tr']['t'], u: UserItem) => (u.disabledAt ? t(`${NS}:users.disabled`) : t(`${NS}:users.active`));

export type UsersProps = { ctx: PageContext; users: UserItem[]; organisations: Choices; values: FormValues; errors: AdminFormError[]; notice?: string };

export function UsersPage({ ctx, users, organisations, values, errors, notice }: UsersProps) {
  const { t, date } = ctx.tr;
  const title = t(`${NS}:users.title`);
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={adminCrumbs(ctx)}>
      <ErrorSummary t={t} errors={summaryItems(t, errors)} order={['email', 'role', 'organisationId']} />
      <h1>{title}</h1>
      <Notice message={notice} />
      <p class="lead">{t(`${NS}:users.lead`)}</p>
      {users.length === 0 ? (
        <p class="empty-state">{t(`${NS}:users.none`)}</p>
      ) : (
        <TableRegion labelledBy="users-caption">
          <table>
            <caption class="visually-hidden" id="users-caption">
              {t(`${NS}:users.caption`)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t(`${NS}:users.columns.email`)}</th>
                <th scope="col">{t(`${NS}:users.columns.role`)}</th>
                <th scope="col">{t(`${NS}:users.columns.organisation`)}</th>
                <th scope="col">{t(`${NS}:users.columns.since`)}</th>
                <th scope="col">{t(`${NS}:users.columns.status`)}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr>
                  <th scope="row">
                    <a href={`/espace-pro/admin/utilisateurs/${encodeURIComponent(u.id)}`}>{u.email ?? t(`${NS}:users.unreadable`)}</a>
                  </th>
                  <td>{t(`${NS}:roles.${u.role}`)}</td>
                  <td>{u.organisationName ?? '–'}</td>
                  <td>{date(u.createdAt)}</td>
                  <td>{status(t, u)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}

      <h2 id="inviter">{t(`${NS}:users.invite.title`)}</h2>
      <p>{t(`${NS}:users.invite.lead`)}</p>
      <form method="post" action="/espace-pro/admin/utilisateurs" novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <TextField
          t={t}
          name="email"
          type="email"
          label={t(`${NS}:users.invite.email`)}
          value={values.email}
          error={errorFor(t, errors, 'email')}
          autocomplete="off"
          spellcheck={false}
        />
        <RoleFields ctx={ctx} organisations={organisations} values={values} errors={errors} />
        <div class="form-actions">
          <button type="submit" class="button">
            {t(`${NS}:users.invite.submit`)}
          </button>
        </div>
      </form>
    </Layout>
  );
}

export type UserProps = {
  ctx: PageContext;
  user: UserItem;
  organisations: Choices;
  self: boolean;
  values: FormValues;
  errors: AdminFormError[];
  notice?: string;
};

export function UserPage({ ctx, user, organisations, self, values, errors, notice }: UserProps) {
  const { t } = ctx.tr;
  const title = user.email ?? t(`${NS}:users.unreadable`);
  const path = `/espace-pro/admin/utilisateurs/${encodeURIComponent(user.id)}`;
  const crumbs = [...adminCrumbs(ctx), { href: '/espace-pro/admin/utilisateurs', label: t(`${NS}:users.title`) }];
  // Nobody changes their own account here, and a disabled account has nothing left to change.
  const formsShown = !self && !user.disabledAt;
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={crumbs}>
      <ErrorSummary
        t={t}
        errors={summaryItems(t, errors, (f) => (!formsShown ? 'contenu' : f === 'disable' ? 'desactiver' : `f-${f}`))}
        order={['role', 'organisationId', 'disable']}
      />
      <h1>{title}</h1>
      <Notice message={notice} />
      <dl class="summary-list">
        {[
          [t(`${NS}:users.columns.role`), t(`${NS}:roles.${user.role}`)],
          [t(`${NS}:users.columns.organisation`), user.organisationName ?? '–'],
          [t(`${NS}:users.columns.since`), dateTime(ctx.tr, user.createdAt)],
          [t(`${NS}:users.columns.status`), user.disabledAt ? `${status(t, user)} (${dateTime(ctx.tr, user.disabledAt)})` : status(t, user)],
        ].map(([k, v]) => (
          <div class="summary-list__row">
            <dt>{k}</dt>
            <dd class="summary-list__value">{v}</dd>
          </div>
        ))}
      </dl>
      {self ? (
        <p class="callout">{t(`${NS}:users.selfNote`)}</p>
      ) : user.disabledAt ? (
        <p>{t(`${NS}:users.disabledNote`)}</p>
      ) : (
        <>
          <h2 id="role">{t(`${NS}:users.changeRole.title`)}</h2>
          <form method="post" action={`${path}/role`} novalidate>
            <CsrfField token={ctx.csrfToken()} />
            <RoleFields ctx={ctx} organisations={organisations} values={values} errors={errors} />
            <div class="form-actions">
              <button type="submit" class="button">
                {t(`${NS}:users.changeRole.submit`)}
              </button>
            </div>
          </form>
          <h2 id="desactiver" tabindex={-1}>
            {t(`${NS}:users.disable.title`)}
          </h2>
          <p>{t(`${NS}:users.disable.lead`)}</p>
          <form method="post" action={`${path}/desactivation`}>
            <CsrfField token={ctx.csrfToken()} />
            <button type="submit" class="button button--warning">
              {t(`${NS}:users.disable.submit`)}
            </button>
          </form>
        </>
      )}
      <p>
        <a href="/espace-pro/admin/utilisateurs">{t(`${NS}:users.back`)}</a>
      </p>
    </Layout>
  );
}

export type InvitationProps = { ctx: PageContext; invitation: { url: string; expiresAt: string; role: string } | null };

/** The invitation link, shown once: the administrator passes it on to the person by a channel they trust. */
export function InvitationPage({ ctx, invitation }: InvitationProps) {
  const { t } = ctx.tr;
  const title = invitation ? t(`${NS}:invitation.title`) : t(`${NS}:invitation.goneTitle`);
  const crumbs = [...adminCrumbs(ctx), { href: '/espace-pro/admin/utilisateurs', label: t(`${NS}:users.title`) }];
  return (
    <Layout ctx={ctx} title={title} breadcrumb={crumbs}>
      {invitation ? (
        <>
          <div class="panel panel--success">
            <h1>{title}</h1>
          </div>
          <p>{t(`${NS}:invitation.lead`, { role: t(`${NS}:roles.${invitation.role}`), date: dateTime(ctx.tr, invitation.expiresAt) })}</p>
          <CopyField id="invitation" label={t(`${NS}:invitation.label`)} value={invitation.url} />
          <div class="callout callout--warning">
            <p>{t(`${NS}:invitation.once`)}</p>
          </div>
        </>
      ) : (
        <>
          <h1>{title}</h1>
          <p>{t(`${NS}:invitation.gone`)}</p>
        </>
      )}
      <p>
        <a href="/espace-pro/admin/utilisateurs">{t(`${NS}:users.back`)}</a>
      </p>
    </Layout>
  );
}
