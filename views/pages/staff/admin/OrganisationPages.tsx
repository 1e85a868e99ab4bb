/**
 * Organisations and their delivery channels. Secrets never appear here except on
 * SecretPage, reached once right after a channel is created or its secret rotated.
 */
import { DeliveryError } from '../../../components/DeliveryError';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { TableRegion } from '../../../components/TableRegion';
import { CsrfField, Radios, TextField } from '../../../components/FormFields';
import { Pagination } from '../../../components/Pagination';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import { adminCrumbs, CopyField, dateTime, errorFor, Notice, NS, summaryItems, type AdminFormError, type FormValues } from './common';

export type OrganisationRow = { id: string; name: string; siren: string | null; channels: number; enabledChannels: number };

export type OrganisationsProps = {
  ctx: PageContext;
  rows: OrganisationRow[];
  total: number;
  page: number;
  pages: number;
  values: FormValues;
  errors: AdminFormError[];
  notice?: string;
};

export function OrganisationsPage({ ctx, rows, total, page, pages, values, errors, notice }: OrganisationsProps) {
  const { t, number } = ctx.tr;
  const title = t(`${NS}:organisations.title`);
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={adminCrumbs(ctx)}>
      <ErrorSummary t={t} errors={summaryItems(t, errors)} order={['name', 'id', 'siren']} />
      <h1>{title}</h1>
      <Notice message={notice} />
      <p class="lead">{t(`${NS}:organisations.lead`)}</p>
      <p class="results-count">{t(`${NS}:organisations.count`, { n: number(total) })}</p>
      <TableRegion labelledBy="organisations-caption">
        <table>
          <caption class="visually-hidden" id="organisations-caption">
            {t(`${NS}:organisations.caption`)}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t(`${NS}:organisations.columns.name`)}</th>
              <th scope="col">{t(`${NS}:organisations.columns.id`)}</th>
              <th scope="col">{t(`${NS}:organisations.columns.siren`)}</th>
              <th scope="col">{t(`${NS}:organisations.columns.channels`)}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr>
                <th scope="row">
                  <a href={`/espace-pro/admin/organisations/${encodeURIComponent(o.id)}`}>{o.name}</a>
                </th>
                <td>
                  <code>{o.id}</code>
                </td>
                <td>{o.siren ?? '–'}</td>
                <td>
                  {o.channels === 0
                    ? t(`${NS}:organisations.noChannel`)
                    : t(`${NS}:organisations.channels`, { enabled: number(o.enabledChannels), total: number(o.channels) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <Pagination t={t} page={page} pages={pages} href={(p) => `/espace-pro/admin/organisations?page=${p}`} />

      <h2 id="ajouter">{t(`${NS}:organisations.create.title`)}</h2>
      <p>{t(`${NS}:organisations.create.lead`)}</p>
      <form method="post" action="/espace-pro/admin/organisations" novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <TextField t={t} name="name" label={t(`${NS}:organisations.create.name`)} value={values.name} error={errorFor(t, errors, 'name')} />
        <TextField
          t={t}
          name="id"
          label={t(`${NS}:organisations.create.id`)}
          hint={t(`${NS}:organisations.create.idHint`)}
          value={values.id}
          error={errorFor(t, errors, 'id')}
          width="medium"
          spellcheck={false}
        />
        <TextField
          t={t}
          name="siren"
          label={t(`${NS}:organisations.create.siren`)}
          hint={t(`${NS}:organisations.create.sirenHint`)}
          value={values.siren}
          error={errorFor(t, errors, 'siren')}
          width="medium"
          inputmode="numeric"
        />
        <div class="form-actions">
          <button type="submit" class="button">
            {t(`${NS}:organisations.create.submit`)}
          </button>
        </div>
      </form>
    </Layout>
  );
}

export type ChannelSecret = { addedAt: string };
export type ChannelItem = {
  id: string;
  kind: 'email' | 'webhook' | 'cnam' | 'portal';
  mode: 'api' | 'batch' | null;
  destination: string | null;
  lang: string;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  secrets: ChannelSecret[];
};

export type OrganisationProps = {
  ctx: PageContext;
  organisation: { id: string; name: string; siren: string | null };
  channels: ChannelItem[];
  /** The webhook allow-list patterns (WEBHOOK_ALLOW), shown in the URL field's hint. */
  allowed: string[];
  values: FormValues;
  errors: AdminFormError[];
  notice?: string;
};

const channelLabel = (t: PageContext['tr']['t'], c: { kind: ChannelItem['kind']; mode: ChannelItem['mode'] }) =>
  t(`${NS}:channel.kinds.${c.kind === 'cnam' ? `cnam_${c.mode ?? 'api'}` : c.kind}`);

/** One organisation: its channels (secrets masked) with their actions, then the form to add one. */
export function OrganisationPage({ ctx, organisation, channels, allowed, values, errors, notice }: OrganisationProps) {
  const { t, date } = ctx.tr;
  const base = `/espace-pro/admin/organisations/${encodeURIComponent(organisation.id)}`;
  const crumbs = [...adminCrumbs(ctx), { href: '/espace-pro/admin/organisations', label: t(`${NS}:organisations.title`) }];
  return (
    <Layout ctx={ctx} title={organisation.name} hasErrors={errors.length > 0} breadcrumb={crumbs}>
      <ErrorSummary
        t={t}
        errors={summaryItems(t, errors, (f) => (f === 'channel' ? 'canaux' : `f-${f}`))}
        order={['channel', 'kind', 'address', 'url', 'mode', 'lang']}
      />
      <h1>{organisation.name}</h1>
      <Notice message={notice} />
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>{t(`${NS}:organisation.id`)}</dt>
          <dd class="summary-list__value">
            <code>{organisation.id}</code>
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>{t(`${NS}:organisation.siren`)}</dt>
          <dd class="summary-list__value">{organisation.siren ?? '–'}</dd>
        </div>
      </dl>
      <p>
        <a href={`/organisations/${encodeURIComponent(organisation.id)}`}>{t(`${NS}:organisation.publicPage`)}</a>
      </p>

      <h2 id="canaux" tabindex={-1}>
        {t(`${NS}:organisation.channelsTitle`)}
      </h2>
      <p>{t(`${NS}:organisation.channelsLead`)}</p>
      {channels.length === 0 ? <p class="empty-state">{t(`${NS}:organisation.noChannel`)}</p> : null}
      {channels.map((c, i) => {
        const label = channelLabel(t, c);
        const name = t(`${NS}:channel.name`, { n: i + 1, kind: label });
        const path = `${base}/canaux/${encodeURIComponent(c.id)}`;
        return (
          <section class="project-section" aria-labelledby={`canal-${c.id}`}>
            <h3 id={`canal-${c.id}`}>{name}</h3>
            <dl class="summary-list">
              <div class="summary-list__row">
                <dt>{t(`${NS}:channel.status`)}</dt>
                <dd class="summary-list__value">
                  {c.enabled ? t(`${NS}:channel.enabled`) : c.disabledReason === 'admin' ? t(`${NS}:channel.disabledByAdmin`) : t(`${NS}:channel.disabled`)}
                  {!c.enabled && c.disabledReason && c.disabledReason !== 'admin' ? (
                    <>
                      <br />
                      <DeliveryError t={t} error={c.disabledReason} code />
                    </>
                  ) : null}
                </dd>
              </div>
              {c.destination ? (
                <div class="summary-list__row">
                  <dt>{t(`${NS}:channel.destination.${c.kind === 'email' || c.kind === 'portal' ? 'address' : 'url'}`)}</dt>
                  <dd class="summary-list__value">
                    <code>{c.destination}</code>
                  </dd>
                </div>
              ) : null}
              <div class="summary-list__row">
                <dt>{t(`${NS}:channel.lang`)}</dt>
                <dd class="summary-list__value">{t(`${NS}:langs.${c.lang === 'en' ? 'en' : 'fr'}`)}</dd>
              </div>
              <div class="summary-list__row">
                <dt>{t(`${NS}:channel.createdAt`)}</dt>
                <dd class="summary-list__value">{date(c.createdAt)}</dd>
              </div>
              {c.secrets.length > 0 ? (
                <div class="summary-list__row">
                  <dt>{t(`${NS}:channel.secrets`)}</dt>
                  <dd class="summary-list__value">
                    <ul class="inline-list">
                      {c.secrets.map((s, j) => (
                        <li>
                          <code>whsec_…</code> {t(`${NS}:channel.secretAdded`, { date: dateTime(ctx.tr, s.addedAt) })}
                          {c.secrets.length > 1 ? ` (${t(`${NS}:channel.${j === c.secrets.length - 1 ? 'secretNew' : 'secretOld'}`)})` : ''}
                        </li>
                      ))}
                    </ul>
                    {c.secrets.length > 1 ? <p class="hint">{t(`${NS}:channel.overlapHint`)}</p> : null}
                  </dd>
                </div>
              ) : null}
            </dl>
            <div class="form-actions">
              {c.secrets.length === 1 ? (
                <form method="post" action={`${path}/rotation`} class="inline-form">
                  <CsrfField token={ctx.csrfToken()} />
                  <button type="submit" class="button button--secondary">
                    {t(`${NS}:channel.rotate`)}
                    <span class="visually-hidden"> – {name}</span>
                  </button>
                </form>
              ) : null}
              {c.secrets.length > 1 ? (
                <form method="post" action={`${path}/fin-chevauchement`} class="inline-form">
                  <CsrfField token={ctx.csrfToken()} />
                  <button type="submit" class="button button--secondary">
                    {t(`${NS}:channel.endOverlap`)}
                    <span class="visually-hidden"> – {name}</span>
                  </button>
                </form>
              ) : null}
              <form method="post" action={`${path}/activation`} class="inline-form">
                <CsrfField token={ctx.csrfToken()} />
                <input type="hidden" name="enabled" value={c.enabled ? 'non' : 'oui'} />
                <button type="submit" class={c.enabled ? 'button button--warning' : 'button'}>
                  {t(`${NS}:channel.${c.enabled ? 'disable' : 'enable'}`)}
                  <span class="visually-hidden"> – {name}</span>
                </button>
              </form>
            </div>
          </section>
        );
      })}

      <h2 id="ajouter-canal">{t(`${NS}:channel.add.title`)}</h2>
      <p>{t(`${NS}:channel.add.lead`)}</p>
      <form method="post" action={`${base}/canaux`} novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <Radios
          t={t}
          name="kind"
          legend={t(`${NS}:channel.add.kind`)}
          value={values.kind}
          error={errorFor(t, errors, 'kind')}
          options={(['email', 'portal', 'webhook', 'cnam'] as const).map((k) => ({
            value: k,
            label: t(`${NS}:channel.add.kinds.${k}.label`),
            hint: t(`${NS}:channel.add.kinds.${k}.hint`),
          }))}
        />
        <TextField
          t={t}
          name="address"
          type="email"
          label={t(`${NS}:channel.add.address`)}
          hint={t(`${NS}:channel.add.addressHint`)}
          value={values.address}
          error={errorFor(t, errors, 'address')}
          autocomplete="off"
          spellcheck={false}
        />
        <TextField
          t={t}
          name="url"
          label={t(`${NS}:channel.add.url`)}
          hint={allowed.length > 0 ? t(`${NS}:channel.add.urlHint`, { allowed: allowed.join(', ') }) : t(`${NS}:channel.add.urlHintNone`)}
          value={values.url}
          error={errorFor(t, errors, 'url')}
          autocomplete="off"
          spellcheck={false}
        />
        <Radios
          t={t}
          name="mode"
          legend={t(`${NS}:channel.add.mode`)}
          hint={t(`${NS}:channel.add.modeHint`)}
          value={values.mode}
          error={errorFor(t, errors, 'mode')}
          options={(['api', 'batch'] as const).map((m) => ({ value: m, label: t(`${NS}:channel.add.modes.${m}`) }))}
        />
        <Radios
          t={t}
          name="lang"
          legend={t(`${NS}:channel.add.lang`)}
          value={values.lang ?? 'fr'}
          error={errorFor(t, errors, 'lang')}
          options={(['fr', 'en'] as const).map((l) => ({ value: l, label: t(`${NS}:langs.${l}`) }))}
        />
        <div class="form-actions">
          <button type="submit" class="button">
            {t(`${NS}:channel.add.submit`)}
          </button>
        </div>
      </form>
    </Layout>
  );
}

export type SecretProps = {
  ctx: PageContext;
  organisation: { id: string; name: string };
  channel: { kind: ChannelItem['kind']; mode: ChannelItem['mode']; destination: string | null };
  reason: 'created' | 'rotated';
  /** Null once it has been shown: it is never shown twice. */
  secret: string | null;
};

/** Shown once, right after the action: the secret itself, with what to do with it. */
export function SecretPage({ ctx, organisation, channel, reason, secret }: SecretProps) {
  const { t } = ctx.tr;
  const back = `/espace-pro/admin/organisations/${encodeURIComponent(organisation.id)}`;
  const title = secret ? t(`${NS}:secret.${reason}Title`) : t(`${NS}:secret.goneTitle`);
  const crumbs = [
    ...adminCrumbs(ctx),
    { href: '/espace-pro/admin/organisations', label: t(`${NS}:organisations.title`) },
    { href: back, label: organisation.name },
  ];
  return (
    <Layout ctx={ctx} title={title} breadcrumb={crumbs}>
      {secret ? (
        <>
          <div class="panel panel--success">
            <h1>{title}</h1>
          </div>
          <p>{t(`${NS}:secret.${reason}Lead`, { kind: channelLabel(t, channel), organisation: organisation.name })}</p>
          {channel.destination ? (
            <p>
              {t(`${NS}:secret.endpoint`)} <code>{channel.destination}</code>
            </p>
          ) : null}
          <CopyField id="secret" label={t(`${NS}:secret.label`)} value={secret} />
          <div class="callout callout--warning">
            <p>{t(`${NS}:secret.once`)}</p>
          </div>
          <h2>{t(`${NS}:secret.nextTitle`)}</h2>
          <ul>
            {(reason === 'created' ? ['share', 'verify'] : ['share', 'overlap', 'end']).map((k) => (
              <li>{t(`${NS}:secret.next.${k}`)}</li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <h1>{title}</h1>
          <p>{t(`${NS}:secret.gone`)}</p>
        </>
      )}
      <p>
        <a href={back}>{t(`${NS}:secret.back`, { organisation: organisation.name })}</a>
      </p>
    </Layout>
  );
}
