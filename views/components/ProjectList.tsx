import type { Translator } from '../../server/i18n';
import type { ProjectRow } from '../../server/domain/register-schema';

/** One card per project: plain title as the link, then stage, controller, sources and last update. */
export function ProjectList({ tr, rows, headingLevel = 2 }: { tr: Translator; rows: ProjectRow[]; headingLevel?: 2 | 3 }) {
  const { t } = tr;
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ol class="project-list">
      {rows.map((row) => (
        <li class="project-card">
          <H class="project-card__title">
            <a href={`/projets/${row.id}`} lang="fr">
              {row.titre_clair}
            </a>
          </H>
          <p class="project-card__meta">
            <span class={`badge badge--${row.statut}`}>{t(`register-fields:values.statut.${row.statut}`)}</span>
            {row.champs_fictifs ? <span class="badge badge--demo">{t('register:demo.badge')}</span> : null}
          </p>
          <dl class="project-card__facts">
            <div>
              <dt>{t('register-fields:fields.responsable_nom.title')}</dt>
              <dd lang="fr">{row.responsable_nom}</dd>
            </div>
            <div>
              <dt>{t('register-fields:fields.sources_noms.title')}</dt>
              <dd lang="fr">{(row.sources_noms ?? '').split(';').join(', ')}</dd>
            </div>
            <div>
              <dt>{t('register-fields:fields.finalite.title')}</dt>
              <dd>{t(`register-fields:values.finalite.${row.finalite}`)}</dd>
            </div>
            <div>
              <dt>{t('register-fields:fields.mis_a_jour.title')}</dt>
              <dd>
                <time datetime={row.mis_a_jour}>{tr.date(row.mis_a_jour!)}</time>
              </dd>
            </div>
          </dl>
        </li>
      ))}
    </ol>
  );
}
