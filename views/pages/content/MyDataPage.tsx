/**
 * "Quels projets peuvent utiliser mes données ?" (/comprendre/mes-donnees-dans-les-projets): three
 * questions in a GET form (nothing is stored: the answers stay in the address), then the projects that use
 * the sources the answers point to, each with the button that starts an objection to it, then what the
 * answers mean, with their legal sources. Works without JavaScript.
 */
import type { MyDataAnswers } from '../../../server/domain/my-data';
import { answersQuery, INSURED_ANSWERS } from '../../../server/domain/my-data';
import type { ProjectRow } from '../../../server/domain/register-schema';
import type { Translator } from '../../../server/i18n';
import { Pagination } from '../../components/Pagination';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';

export const MY_DATA_PATH = '/comprendre/mes-donnees-dans-les-projets';
const NS = 'my-data';

type Choice = { id: string; name: string; holder: string | null };
export type MyDataPageProps = {
  ctx: PageContext;
  choices: { hospitals: Choice[]; cohorts: Choice[] };
  answers: MyDataAnswers;
  results?: { total: number; pages: number; projects: { row: ProjectRow; matched: { id: string; name: string }[] }[]; sources: string[] };
};

type Explanation = { heading: string; paragraphs: { p: string; source?: string }[] };

/** Checkboxes in a fieldset; each box's hint says which database it is. */
function SourceChecks({
  name,
  legend,
  hint,
  empty,
  choices,
  checked,
  label,
}: {
  name: string;
  legend: string;
  hint: string;
  empty: string;
  choices: Choice[];
  checked: string[];
  label: (c: Choice) => { label: string; hint?: string };
}) {
  const id = `f-${name}`;
  return (
    <div class="field">
      <fieldset aria-describedby={`${id}-hint`}>
        <legend>{legend}</legend>
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
        {choices.length === 0 ? <p>{empty}</p> : null}
        <div class="radios">
          {choices.map((c, i) => {
            const boxId = i === 0 ? id : `${id}-${c.id}`;
            const text = label(c);
            return (
              <div class="checkbox">
                <input
                  type="checkbox"
                  id={boxId}
                  name={name}
                  value={c.id}
                  checked={checked.includes(c.id)}
                  aria-describedby={text.hint ? `${boxId}-hint` : undefined}
                />
                <label for={boxId} lang="fr">
                  {text.label}
                </label>
                {text.hint ? (
                  <p class="hint radio__hint" id={`${boxId}-hint`} lang="fr">
                    {text.hint}
                  </p>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

function Questions({ ctx, choices, answers }: Pick<MyDataPageProps, 'ctx' | 'choices' | 'answers'>) {
  const { t } = ctx.tr;
  return (
    <form method="get" action={`${MY_DATA_PATH}#resultats`} class="my-data__form">
      <input type="hidden" name="reponses" value="1" />
      <div class="field">
        <fieldset aria-describedby="f-assure-hint">
          <legend>{t(`${NS}:questions.insured.legend`)}</legend>
          <p class="hint" id="f-assure-hint">
            {t(`${NS}:questions.insured.hint`)}
          </p>
          <div class="radios">
            {INSURED_ANSWERS.map((v, i) => (
              <div class="radio">
                <input type="radio" id={i === 0 ? 'f-assure' : `f-assure-${v}`} name="assure" value={v} checked={answers.insured === v} />
                <label for={i === 0 ? 'f-assure' : `f-assure-${v}`}>{t(`${NS}:questions.insured.options.${v}`)}</label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <SourceChecks
        name="hopital"
        legend={t(`${NS}:questions.hospital.legend`)}
        hint={t(`${NS}:questions.hospital.hint`)}
        empty={t(`${NS}:questions.hospital.empty`)}
        choices={choices.hospitals}
        checked={answers.hospitals}
        label={(c) => (c.holder ? { label: c.holder, hint: c.name } : { label: c.name })}
      />
      <SourceChecks
        name="cohorte"
        legend={t(`${NS}:questions.cohort.legend`)}
        hint={t(`${NS}:questions.cohort.hint`)}
        empty={t(`${NS}:questions.cohort.empty`)}
        choices={choices.cohorts}
        checked={answers.cohorts}
        label={(c) => ({ label: c.name, hint: c.holder || undefined })}
      />
      <div class="form-actions">
        <button type="submit" class="button">
          {t(`${NS}:questions.submit`)}
        </button>
      </div>
    </form>
  );
}

/** One project: its title, its controller, which of the person's sources it uses, and the objection button. */
function ProjectItem({ tr, row, matched }: { tr: Translator; row: ProjectRow; matched: { id: string; name: string }[] }) {
  const { t } = tr;
  const objection = row.opposition_applicable === 'true';
  return (
    <li class="project-card">
      <h3 class="project-card__title">
        <a href={`/projets/${row.id}`} lang="fr">
          {row.titre_clair}
        </a>
      </h3>
      <p class="project-card__meta">
        <span class={`badge badge--${row.statut}`}>{t(`register-fields:values.statut.${row.statut}`)}</span>
      </p>
      <dl class="project-card__facts">
        <div>
          <dt>{t('register-fields:fields.responsable_nom.title')}</dt>
          <dd lang="fr">{row.responsable_nom}</dd>
        </div>
        <div>
          <dt>{t(`${NS}:results.matched`)}</dt>
          <dd lang="fr">{matched.map((m) => m.name).join(', ')}</dd>
        </div>
        <div>
          <dt>{t('register-fields:fields.population.title')}</dt>
          <dd lang="fr">{row.population || t(`${NS}:results.populationUnknown`)}</dd>
        </div>
      </dl>
      {objection ? null : <p>{t(`${NS}:results.noObjection`)}</p>}
      <p>
        <a class="button button--secondary" href={`/demande?projet=${row.id}`}>
          {t(objection ? `${NS}:results.object` : 'register:rights.button')}
          <span class="visually-hidden" lang="fr">
            {' '}
            – {row.titre_clair}
          </span>
        </a>
      </p>
    </li>
  );
}

function Results({ ctx, answers, results }: { ctx: PageContext; answers: MyDataAnswers; results: NonNullable<MyDataPageProps['results']> }) {
  const { tr } = ctx;
  const { t } = tr;
  const snds = answers.insured === 'oui' || answers.insured === 'nsp';
  return (
    <section aria-labelledby="resultats" class="my-data__results">
      <h2 id="resultats" tabindex={-1}>
        {t(`${NS}:results.title`)}
      </h2>
      {results.sources.length === 0 ? (
        <p class="empty-state">{t(`${NS}:results.noSource`)}</p>
      ) : (
        <>
          <p class="results-count">
            <strong>
              {results.total === 0 ? t(`${NS}:results.none`) : t(`${NS}:results.count`, { count: results.total, formatted: tr.number(results.total) })}
            </strong>
            {results.pages > 1 ? <span> {t('register:results.pageOf', { page: answers.page, pages: results.pages })}</span> : null}
          </p>
          <p>{t(`${NS}:results.may`)}</p>
          {results.projects.length > 0 ? (
            <ol class="project-list">
              {results.projects.map((p) => (
                <ProjectItem tr={tr} row={p.row} matched={p.matched} />
              ))}
            </ol>
          ) : null}
          <Pagination t={t} page={answers.page} pages={results.pages} href={(p) => `${MY_DATA_PATH}${answersQuery(answers, p)}#resultats`} />
        </>
      )}
      {answers.insured === 'non' ? <p class="callout">{t(`${NS}:results.notInsured`)}</p> : null}
      {snds ? (
        <div class="callout">
          <p>{t(`${NS}:results.sndsAll`)}</p>
          <p>
            <a href="/demande">{t(`${NS}:results.sndsAllLink`)}</a>
          </p>
        </div>
      ) : null}
    </section>
  );
}

export function MyDataPage({ ctx, choices, answers, results }: MyDataPageProps) {
  const { tr } = ctx;
  const { t, doc } = tr;
  const page = doc<{ explanations: Explanation[]; next: { href: string; label: string }[] }>(NS);
  const title = t(`${NS}:title`);
  return (
    <Layout
      ctx={ctx}
      title={title}
      description={t(`${NS}:summary`)}
      breadcrumb={[
        { href: '/', label: t('common:breadcrumb.home') },
        { href: '/comprendre', label: t('common:understand.title') },
      ]}
    >
      <h1>{title}</h1>
      <p class="lead">{t(`${NS}:lead`)}</p>
      <div class="callout" role="note">
        <p>
          <strong>{t(`${NS}:privacy.title`)}</strong> {t(`${NS}:privacy.body`)}
        </p>
      </div>
      {answers.ignored.length > 0 ? (
        <div class="callout callout--warning" role="status">
          <p>{t(`${NS}:ignored`)}</p>
        </div>
      ) : null}
      <Questions ctx={ctx} choices={choices} answers={answers} />
      {results ? <Results ctx={ctx} answers={answers} results={results} /> : null}
      <section aria-labelledby="comprendre-reponses">
        <h2 id="comprendre-reponses">{t(`${NS}:explanationsTitle`)}</h2>
        {page.explanations.map((e) => (
          <>
            <h3>{e.heading}</h3>
            {e.paragraphs.map((p) => (
              <>
                <p>{p.p}</p>
                {p.source ? (
                  <p class="source">
                    <span class="source__label">{t('common:source')}</span> {p.source}
                  </p>
                ) : null}
              </>
            ))}
          </>
        ))}
      </section>
      <aside class="next-steps" aria-labelledby="next-steps-title">
        <h2 id="next-steps-title">{t('common:nextSteps')}</h2>
        <ul class="link-list">
          {page.next.map((l) => (
            <li>
              <a href={l.href}>{l.label}</a>
            </li>
          ))}
        </ul>
      </aside>
    </Layout>
  );
}
