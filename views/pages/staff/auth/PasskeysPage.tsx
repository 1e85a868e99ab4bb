import { ErrorSummary, FieldError, describedBy, type FormError } from '../../../components/ErrorSummary';
import { CsrfField, TextField } from '../../../components/FormFields';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import { PasskeyCeremony } from './PasskeyCeremony';

export type PasskeyView = { id: string; name: string; createdAt: string; lastUsedAt: string | null; backedUp: boolean };
export type PasskeyMessage = 'enrolled' | 'added' | 'renamed' | 'revoked';

const crumbs = (ctx: PageContext) => [{ href: '/espace-pro', label: ctx.tr.t('staff-auth:breadcrumb') }];

/**
 * /espace-pro/cles: the person's passkeys (name, added, last used), a rename form and a remove link
 * for each, and a form that adds one more on another device. `errors` point at a rename field
 * (`rename-<n>`) or at the new passkey's name (`name`).
 */
export function PasskeysPage({
  ctx,
  passkeys,
  message,
  errors,
  values,
  add,
}: {
  ctx: PageContext;
  passkeys: PasskeyView[];
  message?: PasskeyMessage;
  errors: FormError[];
  values: Record<string, string | undefined>;
  add: { challengeId: string; options: unknown };
}) {
  const { t, date } = ctx.tr;
  const title = t('staff-auth:passkeys.title');
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={crumbs(ctx)}>
      <ErrorSummary t={t} errors={errors} />
      {message ? (
        <div class="panel panel--success" role="status">
          <p class="panel__body">{t(`staff-auth:passkeys.messages.${message}`)}</p>
        </div>
      ) : null}
      <h1>{title}</h1>
      <p class="lead">{t('staff-auth:passkeys.lead')}</p>
      <div class="callout">
        <p>{t('staff-auth:passkeys.advice')}</p>
      </div>

      <h2>{t('staff-auth:passkeys.listTitle')}</h2>
      <p>{t('staff-auth:passkeys.count', { count: passkeys.length })}</p>
      {passkeys.map((p, i) => {
        const fieldId = `f-rename-${i}`;
        const error = errors.find((e) => e.field === `rename-${i}`)?.message;
        return (
          <section class="field-group" aria-labelledby={`cle-${i}`}>
            <h3 id={`cle-${i}`}>{p.name}</h3>
            <dl class="summary-list">
              <div class="summary-list__row">
                <dt>{t('staff-auth:passkeys.created')}</dt>
                <dd>{date(p.createdAt)}</dd>
              </div>
              <div class="summary-list__row">
                <dt>{t('staff-auth:passkeys.lastUsed')}</dt>
                <dd>{p.lastUsedAt ? date(p.lastUsedAt) : t('staff-auth:passkeys.never')}</dd>
              </div>
              <div class="summary-list__row">
                <dt>{t('staff-auth:passkeys.synced')}</dt>
                <dd>{p.backedUp ? t('staff-auth:passkeys.syncedYes') : t('staff-auth:passkeys.syncedNo')}</dd>
              </div>
            </dl>
            <form method="post" action="/espace-pro/cles/renommer" novalidate>
              <CsrfField token={ctx.csrfToken()} />
              <input type="hidden" name="credential" value={p.id} />
              <div class={`field${error ? ' field--error' : ''}`}>
                <label for={fieldId}>{t('staff-auth:passkeys.renameLabel', { name: p.name })}</label>
                {error ? <FieldError t={t} id={`${fieldId}-error`} message={error} /> : null}
                <input
                  type="text"
                  id={fieldId}
                  name="name"
                  class="input--medium"
                  value={values[`rename-${i}`] ?? p.name}
                  autocomplete="off"
                  aria-describedby={describedBy(error && `${fieldId}-error`)}
                  aria-invalid={error ? 'true' : undefined}
                />
              </div>
              <div class="form-actions">
                <button type="submit" class="button button--secondary">
                  {t('staff-auth:passkeys.rename')}
                </button>
                <a href={`/espace-pro/cles/supprimer?cle=${encodeURIComponent(p.id)}`}>{t('staff-auth:passkeys.revoke', { name: p.name })}</a>
              </div>
            </form>
          </section>
        );
      })}

      <h2 id="ajouter">{t('staff-auth:passkeys.addTitle')}</h2>
      <p>{t('staff-auth:passkeys.addLead')}</p>
      <PasskeyCeremony
        ctx={ctx}
        kind="register"
        action="/espace-pro/cles"
        challengeId={add.challengeId}
        options={add.options}
        button={t('staff-auth:passkeys.addButton')}
      >
        <TextField
          t={t}
          name="name"
          label={t('staff-auth:fields.name.label')}
          hint={t('staff-auth:fields.name.hint')}
          error={errors.find((e) => e.field === 'name')?.message}
          value={values.name}
          width="medium"
          autocomplete="off"
        />
      </PasskeyCeremony>
    </Layout>
  );
}

/** The confirmation step before a passkey is removed; or, for the last one, why it cannot be. */
export function RevokePage({ ctx, passkey, isLast }: { ctx: PageContext; passkey: PasskeyView; isLast: boolean }) {
  const { t } = ctx.tr;
  const title = isLast ? t('staff-auth:revoke.lastTitle') : t('staff-auth:revoke.title', { name: passkey.name });
  return (
    <Layout ctx={ctx} title={title} breadcrumb={[...crumbs(ctx), { href: '/espace-pro/cles', label: t('staff-auth:passkeys.title') }]}>
      <h1>{title}</h1>
      {isLast ? (
        <>
          <p>{t('staff-auth:errors.lastPasskey')}</p>
          <ul class="link-list">
            <li>
              <a href="/espace-pro/cles#ajouter">{t('staff-auth:revoke.addFirst')}</a>
            </li>
          </ul>
        </>
      ) : (
        <>
          <p>{t('staff-auth:revoke.body')}</p>
          <p>{t('staff-auth:revoke.deviceNote')}</p>
          <form method="post" action="/espace-pro/cles/supprimer">
            <CsrfField token={ctx.csrfToken()} />
            <input type="hidden" name="credential" value={passkey.id} />
            <div class="form-actions">
              <button type="submit" class="button button--warning">
                {t('staff-auth:revoke.confirm')}
              </button>
              <a href="/espace-pro/cles">{t('staff-auth:revoke.cancel')}</a>
            </div>
          </form>
        </>
      )}
    </Layout>
  );
}
