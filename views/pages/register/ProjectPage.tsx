import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Translator } from '../../../server/i18n';
import type { ProjectRow } from '../../../server/domain/register-schema';
import type { TimelineStep } from '../../../server/domain/approval-timeline';
import { WITHDRAWN_FIELD } from '../../../server/domain/harvest';
import { TableRegion } from '../../components/TableRegion';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';
import { ReportSection } from './RecordReportPages';
import { FollowLink } from '../../components/FollowLink';

export type HistoryEntry = { field: string; oldValue: string | null; newValue: string | null; changedAt: string; origin: string };

export type ProjectView = {
  row: ProjectRow;
  timeline: TimelineStep[];
  resultsOverdue: boolean;
  history: HistoryEntry[];
  jsonLd: object;
  /** The date awaited steps are judged at (the record's last update). */
  asOf: string;
  /** When the project comes from a register its controller publishes (the harvest): from where, read when. */
  origin?: ProjectOrigin;
};

export type ProjectOrigin = { organisationName: string; url: string; lastReadAt: string | null; withdrawnSince: string | null };

/** Who publishes a harvested project and when it was last read; whether its source still lists it. */
function OriginNote({ tr, origin }: { tr: Translator; origin: ProjectOrigin }) {
  const { t } = tr;
  return (
    <>
      <p class="project__origin">
        {origin.lastReadAt ? t('harvest:origin.publishedBy', { organisation: origin.organisationName, date: tr.date(origin.lastReadAt) }) : null}{' '}
        <a href={origin.url} rel="noopener">
          {t('harvest:origin.sourceFile')}
          <span class="visually-hidden"> {t('common:externalLink')}</span>
        </a>
      </p>
      {origin.withdrawnSince ? (
        <div class="callout callout--warning" role="note">
          <p>{t('harvest:origin.withdrawn', { date: tr.date(origin.withdrawnSince) })}</p>
        </div>
      ) : null}
    </>
  );
}

/** A history entry's field and values in words; the harvest's withdrawal has its own. */
function historyCells(tr: Translator, h: HistoryEntry): [string, string, string] {
  if (h.field === WITHDRAWN_FIELD) {
    const state = (since: string | null) => (since ? tr.t('harvest:history.withdrawnSince', { date: tr.date(since) }) : tr.t('harvest:history.published'));
    return [tr.t('harvest:history.field'), state(h.oldValue), state(h.newValue)];
  }
  return [
    tr.t(`register-fields:fields.${h.field}.title`),
    displayValue(tr, h.field, h.oldValue ?? '') || '—',
    displayValue(tr, h.field, h.newValue ?? '') || '—',
  ];
}

const ENUM_FIELDS = new Set(['statut', 'finalite', 'procedure', 'avis_cesrees', 'motif_exclusion_opposition']);
const BOOLEAN_FIELDS = new Set(['usage_commercial', 'entrainement_ia', 'prolongation_cnil', 'opposition_applicable']);
const DATE_FIELDS = new Set([
  'date_depot',
  'date_transmission_cesrees',
  'date_avis_cesrees',
  'date_decision_cnil',
  'date_debut',
  'date_fin',
  'date_resultats',
  'cree_le',
  'mis_a_jour',
]);

/** A value as people read it: labels for codes, Oui/Non, dates in words. Free text stays as written (French). */
export function displayValue(tr: Translator, field: string, value: string): string {
  if (!value) return '';
  if (ENUM_FIELDS.has(field)) return tr.t(`register-fields:values.${field}.${value}`);
  if (BOOLEAN_FIELDS.has(field)) return tr.t(`register-fields:values.boolean.${value}`);
  if (DATE_FIELDS.has(field)) return tr.date(value);
  return value.split(';').join(', ');
}

function Fact({ tr, row, field, children }: { tr: Translator; row: ProjectRow; field: string; children?: Child }) {
  const value = row[field] ?? '';
  if (!value && !children) return null;
  const fictitious = (row.champs_fictifs ?? '').split(';').includes(field);
  const free = !ENUM_FIELDS.has(field) && !BOOLEAN_FIELDS.has(field) && !DATE_FIELDS.has(field);
  return (
    <div class="fact">
      <dt>{tr.t(`register-fields:fields.${field}.title`)}</dt>
      <dd>
        {children ?? <span lang={free ? 'fr' : undefined}>{displayValue(tr, field, value)}</span>}
        {fictitious ? <span class="badge badge--demo">{tr.t('register:demo.fictitious')}</span> : null}
      </dd>
    </div>
  );
}

/** A heading at a level given at run time: the article is a page's h1, or sits lower inside a preview. */
function Heading({ level, id, class: className, lang, children }: { level: number; id?: string; class?: string; lang?: string; children?: Child }) {
  const Tag = `h${Math.min(Math.max(level, 1), 6)}` as 'h2';
  return (
    <Tag id={id} class={className} lang={lang}>
      {children}
    </Tag>
  );
}

function Section({ id, title, level, children }: { id: string; title: string; level: number; children?: Child }) {
  return (
    <section aria-labelledby={id} class="project-section">
      <Heading level={level} id={id}>
        {title}
      </Heading>
      {children}
    </section>
  );
}

export function ProjectPage({ ctx, view }: { ctx: PageContext; view: ProjectView }) {
  const { tr, nonce } = ctx;
  const { t } = tr;
  const { row } = view;
  const jsonLd = JSON.stringify(view.jsonLd).replace(/</g, '\\u003c');
  return (
    <Layout
      ctx={ctx}
      title={row.titre_clair!}
      description={row.resume}
      breadcrumb={[
        { href: '/', label: t('common:breadcrumb.home') },
        { href: '/projets', label: t('register:title') },
      ]}
    >
      <script type="application/ld+json" nonce={nonce}>
        {raw(jsonLd)}
      </script>
      <ProjectArticle tr={tr} view={view} />
      <FollowLink tr={tr} kind="project" target={row.id!} />
      <ReportSection tr={tr} token={ctx.csrfToken()} projectId={row.id!} />
    </Layout>
  );
}

/**
 * The public record of a project, without the page around it: the project page shows it with its title
 * as the h1; the back office shows it as a preview, its title at `headingLevel` under the preview's heading.
 */
export function ProjectArticle({ tr, view, headingLevel = 1 }: { tr: Translator; view: Omit<ProjectView, 'jsonLd'>; headingLevel?: number }) {
  const { t } = tr;
  const { row, timeline, history } = view;
  const h2 = headingLevel + 1;
  const partners = (row.partenaires_ids ?? '').split(';').filter(Boolean);
  const partnerNames = (row.partenaires_noms ?? '').split(';');
  const sourceIds = (row.sources_ids ?? '').split(';').filter(Boolean);
  const sourceNames = (row.sources_noms ?? '').split(';');
  const results = (row.resultats_urls ?? '').split(';').filter(Boolean);
  const fictitious = (row.champs_fictifs ?? '').split(';').filter(Boolean);
  return (
    <article class="project">
      <p class="project__kicker">
        <span class={`badge badge--${row.statut}`}>{t(`register-fields:values.statut.${row.statut}`)}</span>
        {row.numero_hdh ? (
          <span class="muted">
            {' '}
            {t('register-fields:fields.numero_hdh.title')} {row.numero_hdh}
          </span>
        ) : null}
      </p>
      <Heading level={headingLevel} lang="fr">
        {row.titre_clair}
      </Heading>
      {/* The action people come for, right under the title (on a phone's first screen); the "Your rights" section ends with it again. */}
      <p class="project__action">
        <a class="button" href={`/demande?projet=${row.id}`}>
          {t('register:rights.button')}
        </a>
      </p>
      <p class="project__official" lang="fr">
        {row.titre_officiel}
      </p>
      {view.origin ? <OriginNote tr={tr} origin={view.origin} /> : null}
      {fictitious.length > 0 ? (
        <div class="callout callout--warning" role="note">
          <p>
            <strong>{t('register:demo.title')}</strong> {t('register:demo.body')}
          </p>
        </div>
      ) : null}
      {row.note_statut ? (
        <p class="callout" lang="fr">
          {row.note_statut}
        </p>
      ) : null}

      <nav class="toc" aria-labelledby="project-toc">
        <Heading level={h2} id="project-toc" class="toc__title">
          {t('common:toc')}
        </Heading>
        <ol>
          {(['summary', 'who', 'why', 'data', 'legal', 'timeline', 'results', 'rights', 'history'] as const).map((s) => (
            <li>
              <a href={`#${s}`}>{t(`register:project.sections.${s}`)}</a>
            </li>
          ))}
        </ol>
      </nav>

      <Section level={h2} id="summary" title={t('register:project.sections.summary')}>
        <p lang="fr">{row.resume}</p>
      </Section>

      <Section level={h2} id="who" title={t('register:project.sections.who')}>
        <dl class="facts-list">
          <Fact tr={tr} row={row} field="responsable_nom">
            <a href={`/organisations/${row.responsable_id}`} lang="fr">
              {row.responsable_nom}
            </a>
            {row.responsable_siren ? <span class="muted"> (SIREN {row.responsable_siren})</span> : null}
          </Fact>
          {partners.length > 0 ? (
            <Fact tr={tr} row={row} field="partenaires_noms">
              <ul class="inline-list">
                {partners.map((id, i) => (
                  <li>
                    <a href={`/organisations/${id}`} lang="fr">
                      {partnerNames[i]}
                    </a>
                  </li>
                ))}
              </ul>
            </Fact>
          ) : null}
          <Fact tr={tr} row={row} field="prestataire" />
          <Fact tr={tr} row={row} field="financeurs" />
          <Fact tr={tr} row={row} field="contact_dpo" />
        </dl>
      </Section>

      <Section level={h2} id="why" title={t('register:project.sections.why')}>
        <dl class="facts-list">
          <Fact tr={tr} row={row} field="finalite" />
          <Fact tr={tr} row={row} field="interet_public" />
          <Fact tr={tr} row={row} field="benefice_attendu" />
          <Fact tr={tr} row={row} field="usage_commercial" />
          <Fact tr={tr} row={row} field="entrainement_ia" />
          <Fact tr={tr} row={row} field="resume_technique" />
        </dl>
      </Section>

      <Section level={h2} id="data" title={t('register:project.sections.data')}>
        <dl class="facts-list">
          <Fact tr={tr} row={row} field="sources_noms">
            <ul class="inline-list">
              {sourceIds.map((id, i) => (
                <li>
                  <a href={`/sources/${id}`} lang="fr">
                    {sourceNames[i]}
                  </a>
                </li>
              ))}
            </ul>
          </Fact>
          <Fact tr={tr} row={row} field="appariement" />
          <Fact tr={tr} row={row} field="population" />
          <Fact tr={tr} row={row} field="periode_couverte" />
          <Fact tr={tr} row={row} field="hebergement" />
        </dl>
      </Section>

      <Section level={h2} id="legal" title={t('register:project.sections.legal')}>
        <dl class="facts-list">
          <Fact tr={tr} row={row} field="procedure" />
          <Fact tr={tr} row={row} field="methodologie_reference" />
          <Fact tr={tr} row={row} field="avis_cesrees" />
          <Fact tr={tr} row={row} field="numero_decision_cnil" />
          {row.url_decision_cnil ? (
            <Fact tr={tr} row={row} field="url_decision_cnil">
              <a href={row.url_decision_cnil} rel="noopener">
                {t('register:project.readDecision')}
                <span class="visually-hidden"> {t('common:externalLink')}</span>
              </a>
            </Fact>
          ) : null}
          <Fact tr={tr} row={row} field="duree_autorisee_mois" />
          <Fact tr={tr} row={row} field="conservation" />
        </dl>
        {!row.procedure && !row.avis_cesrees && !row.numero_decision_cnil ? <p>{t('register:project.noLegalYet')}</p> : null}
      </Section>

      <Section level={h2} id="timeline" title={t('register:project.sections.timeline')}>
        <p>{t('register:timeline.intro')}</p>
        {timeline.length === 0 ? (
          <p>{t('register:timeline.empty')}</p>
        ) : (
          <ol class="timeline">
            {timeline.map((step) => (
              <li class={`timeline__step${step.lateDays ? ' timeline__step--late' : ''}${step.pending ? ' timeline__step--pending' : ''}`}>
                <p class="timeline__title">
                  <strong>{t(`register:timeline.steps.${step.key}`)}</strong>
                  {step.date ? (
                    <>
                      {t('common:separator')}
                      <time datetime={step.date}>{tr.date(step.date)}</time>
                    </>
                  ) : (
                    <span>
                      {t('common:separator')}
                      {t('register:timeline.awaited')}
                    </span>
                  )}
                  {step.fictitious ? <span class="badge badge--demo">{t('register:demo.fictitious')}</span> : null}
                </p>
                {step.due ? (
                  <p class="timeline__check">
                    {t(`register:timeline.rules.${step.rule}`)} {t('register:timeline.limit', { date: tr.date(step.due) })}{' '}
                    {step.lateDays ? (
                      <strong class="badge badge--late">
                        {step.pending
                          ? t('register:timeline.pendingLate', { count: step.lateDays, date: tr.date(view.asOf) })
                          : t('register:timeline.late', { count: step.lateDays })}
                      </strong>
                    ) : step.date ? (
                      <span class="badge badge--ok">{t('register:timeline.onTime')}</span>
                    ) : null}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        <p class="source">
          <span class="source__label">{t('common:source')}</span> {t('register:timeline.source')}
        </p>
      </Section>

      <Section level={h2} id="results" title={t('register:project.sections.results')}>
        {view.resultsOverdue ? (
          <div class="callout callout--warning">
            <p>
              <strong>{t('register:results.overdueTitle')}</strong> {t('register:results.overdueBody')}
            </p>
          </div>
        ) : null}
        {results.length === 0 && !row.resultats_resume ? <p>{t('register:project.noResults')}</p> : null}
        {row.resultats_resume ? <p lang="fr">{row.resultats_resume}</p> : null}
        {results.length > 0 ? (
          <ul class="link-list">
            {results.map((url) => (
              <li>
                <a href={url} rel="noopener">
                  {url}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </Section>

      <Section level={h2} id="rights" title={t('register:project.sections.rights')}>
        {row.opposition_applicable === 'true' ? (
          <p>{t('register:rights.applies')}</p>
        ) : (
          <>
            <p>{t('register:rights.doesNotApply')}</p>
            {row.motif_exclusion_opposition ? <p>{t(`register-fields:values.motif_exclusion_opposition.${row.motif_exclusion_opposition}`)}</p> : null}
          </>
        )}
        <p>{t('register:rights.otherRights')}</p>
        <p>
          <a class="button" href={`/demande?projet=${row.id}`}>
            {t('register:rights.button')}
          </a>
        </p>
      </Section>

      <Section level={h2} id="history" title={t('register:project.sections.history')}>
        <dl class="facts-list">
          <Fact tr={tr} row={row} field="cree_le" />
          <Fact tr={tr} row={row} field="mis_a_jour" />
        </dl>
        {history.filter((h) => h.field !== 'creation').length === 0 ? (
          <p>{t('register:history.none')}</p>
        ) : (
          <TableRegion labelledBy="history-caption">
            <table>
              <caption id="history-caption">{t('register:history.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('register:history.date')}</th>
                  <th scope="col">{t('register:history.field')}</th>
                  <th scope="col">{t('register:history.old')}</th>
                  <th scope="col">{t('register:history.new')}</th>
                </tr>
              </thead>
              <tbody>
                {history
                  .filter((h) => h.field !== 'creation')
                  .map((h) => {
                    const [field, before, after] = historyCells(tr, h);
                    const lang = h.field === WITHDRAWN_FIELD ? undefined : 'fr';
                    return (
                      <tr>
                        <td>
                          <time datetime={h.changedAt}>{tr.date(h.changedAt)}</time>
                        </td>
                        <td>{field}</td>
                        <td lang={lang}>{before}</td>
                        <td lang={lang}>{after}</td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </TableRegion>
        )}
        <p>
          <a href={`/projets/${row.id}.json`}>{t('register:project.json')}</a>
        </p>
      </Section>
    </article>
  );
}
