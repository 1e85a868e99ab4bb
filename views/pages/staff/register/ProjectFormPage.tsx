/**
 * The project form of the back office: every register field, grouped as the public page
 * groups them, each with its label, its hint and its own error; the preview of the public page above.
 */
import { FIELDS_BY_NAME, OBJECTION_EXCLUSIONS, CESREES_OPINIONS, PROCEDURES, PROJECT_STATUSES, PURPOSES } from '../../../../server/domain/register-schema';
import type { TFunction, Translator } from '../../../../server/i18n';
import { ErrorSummary, type FormError } from '../../../components/ErrorSummary';
import { CsrfField, Radios, TextArea, TextField } from '../../../components/FormFields';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import { ProjectArticle, type ProjectView } from '../../register/ProjectPage';
import { Checkboxes, errorOf, FixedId, FormActions, Group, inFieldOrder, labelFor, PreviewRegion, SavedBanner, Select } from './EditorFields';

type Widget = 'text' | 'short' | 'area' | 'lines' | 'date' | 'enum' | 'boolean' | 'controller' | 'organisations' | 'sources';

/** The groups of the form, in order, and how each field is typed. */
export const PROJECT_FORM_GROUPS: { id: string; fields: [string, Widget][] }[] = [
  {
    id: 'identity',
    fields: [
      ['id', 'short'],
      ['numero_hdh', 'short'],
      ['titre_officiel', 'area'],
      ['titre_clair', 'text'],
      ['cree_le', 'date'],
    ],
  },
  {
    id: 'status',
    fields: [
      ['statut', 'enum'],
      ['note_statut', 'text'],
    ],
  },
  {
    id: 'who',
    fields: [
      ['responsable_id', 'controller'],
      ['partenaires_ids', 'organisations'],
      ['prestataire', 'text'],
      ['financeurs', 'lines'],
      ['contact_dpo', 'text'],
    ],
  },
  {
    id: 'why',
    fields: [
      ['finalite', 'enum'],
      ['resume', 'area'],
      ['resume_technique', 'area'],
      ['interet_public', 'area'],
      ['benefice_attendu', 'area'],
      ['usage_commercial', 'boolean'],
      ['entrainement_ia', 'boolean'],
    ],
  },
  {
    id: 'data',
    fields: [
      ['sources_ids', 'sources'],
      ['appariement', 'area'],
      ['population', 'area'],
      ['periode_couverte', 'text'],
      ['hebergement', 'text'],
    ],
  },
  {
    id: 'legal',
    fields: [
      ['procedure', 'enum'],
      ['methodologie_reference', 'short'],
      ['date_depot', 'date'],
      ['date_transmission_cesrees', 'date'],
      ['date_avis_cesrees', 'date'],
      ['avis_cesrees', 'enum'],
      ['date_decision_cnil', 'date'],
      ['prolongation_cnil', 'boolean'],
      ['numero_decision_cnil', 'short'],
      ['url_decision_cnil', 'text'],
      ['duree_autorisee_mois', 'short'],
      ['conservation', 'text'],
    ],
  },
  {
    id: 'results',
    fields: [
      ['date_debut', 'date'],
      ['date_fin', 'date'],
      ['resultats_urls', 'lines'],
      ['resultats_resume', 'area'],
      ['date_resultats', 'date'],
    ],
  },
  {
    id: 'rights',
    fields: [
      ['opposition_applicable', 'boolean'],
      ['motif_exclusion_opposition', 'enum'],
    ],
  },
  { id: 'demo', fields: [['champs_fictifs', 'lines']] },
];

export const PROJECT_FIELD_ORDER: readonly string[] = PROJECT_FORM_GROUPS.flatMap((g) => g.fields.map(([name]) => name));

const ENUMS: Record<string, readonly string[]> = {
  statut: PROJECT_STATUSES,
  finalite: PURPOSES,
  procedure: PROCEDURES,
  avis_cesrees: CESREES_OPINIONS,
  motif_exclusion_opposition: OBJECTION_EXCLUSIONS,
};

/** The column whose title names a field chosen from a list (the form picks organisations and sources, the CSV names them). */
const TITLE_OF: Record<string, string> = { responsable_id: 'responsable_nom', partenaires_ids: 'partenaires_noms', sources_ids: 'sources_noms' };

/** A project field's label, as the form and its error messages name it. */
export function projectFieldLabel(t: TFunction, field: string): string {
  return t(`register-fields:fields.${TITLE_OF[field] ?? field}.title`);
}

function hintFor(t: TFunction, field: string, widget: Widget): string {
  const own = t(`staff-register:project.hints.${field}`, { defaultValue: '' });
  const base = own || t(`register-fields:fields.${field}.description`);
  if (widget === 'date') return `${base} ${t('staff-register:form.dateHint')}`;
  return base;
}

export type Choice = { id: string; name: string };

export type ProjectFormProps = {
  ctx: PageContext;
  /** The project's id when it exists (editing), undefined when creating. */
  id?: string;
  action: string;
  values: Record<string, string>;
  errors: FormError[];
  organisations: Choice[];
  sources: Choice[];
  preview?: Omit<ProjectView, 'jsonLd'>;
  saved?: { message: string; href: string };
};

function ProjectFields({ t, props, group }: { t: TFunction; props: ProjectFormProps; group: (typeof PROJECT_FORM_GROUPS)[number] }) {
  const { values, errors } = props;
  return (
    <>
      {group.fields.map(([name, widget]) => {
        const required = name === 'responsable_id' || name === 'sources_ids' || FIELDS_BY_NAME.get(name)?.required === true;
        const label = labelFor(t, projectFieldLabel(t, name), required);
        const hint = hintFor(t, name, widget);
        const error = errorOf(errors, name);
        const value = values[name] ?? '';
        if (name === 'id' && props.id) return <FixedId label={projectFieldLabel(t, 'id')} id={props.id} />;
        switch (widget) {
          case 'text':
            return <TextField t={t} name={name} label={label} hint={hint} error={error} value={value} />;
          case 'short':
            return <TextField t={t} name={name} label={label} hint={hint} error={error} value={value} width="medium" spellcheck={false} />;
          case 'date':
            return <TextField t={t} name={name} label={label} hint={hint} error={error} value={value} width="medium" inputmode="numeric" spellcheck={false} />;
          case 'area':
            return (
              <TextArea
                t={t}
                name={name}
                label={label}
                hint={hint}
                error={error}
                value={value}
                rows={name === 'resume' || name === 'resume_technique' ? 8 : 4}
              />
            );
          case 'lines':
            return <TextArea t={t} name={name} label={label} hint={hint} error={error} value={value} rows={3} />;
          case 'enum':
            return (
              <Radios
                t={t}
                name={name}
                legend={label}
                hint={hint}
                error={error}
                value={value}
                options={[
                  ...ENUMS[name]!.map((v) => ({ value: v, label: t(`register-fields:values.${name}.${v}`) })),
                  ...(required ? [] : [{ value: '', label: t('staff-register:form.notSet') }]),
                ]}
              />
            );
          case 'boolean':
            return (
              <Radios
                t={t}
                name={name}
                legend={label}
                hint={hint}
                error={error}
                value={value}
                options={[
                  { value: 'true', label: t('register-fields:values.boolean.true') },
                  { value: 'false', label: t('register-fields:values.boolean.false') },
                  ...(required ? [] : [{ value: '', label: t('staff-register:form.notSet') }]),
                ]}
              />
            );
          case 'controller':
            return (
              <Select
                t={t}
                name={name}
                label={label}
                hint={hint}
                error={error}
                value={value}
                placeholder={t('staff-register:project.chooseOrganisation')}
                options={props.organisations.map((o) => ({ value: o.id, label: o.name }))}
              />
            );
          case 'organisations':
          case 'sources': {
            const choices = widget === 'sources' ? props.sources : props.organisations;
            return (
              <Checkboxes
                t={t}
                name={name}
                legend={label}
                hint={hint}
                error={error}
                values={value.split(';').filter(Boolean)}
                options={choices.map((c) => ({ value: c.id, label: c.name }))}
                emptyText={t(`staff-register:project.${widget === 'sources' ? 'noSources' : 'noOrganisations'}`)}
              />
            );
          }
        }
      })}
    </>
  );
}

/** The preview: the public project page's article, its title under the preview's heading. */
export function ProjectPreview({ tr, preview }: { tr: Translator; preview: Omit<ProjectView, 'jsonLd'> }) {
  return (
    <PreviewRegion t={tr.t}>
      <ProjectArticle tr={tr} view={preview} headingLevel={3} />
    </PreviewRegion>
  );
}

/** What htmx swaps in when the preview cannot be built: the errors, each a link to its field. */
export function PreviewErrors({ tr, errors, order }: { tr: Translator; errors: FormError[]; order: readonly string[] }) {
  return (
    <div id="apercu" tabindex={-1} autofocus>
      <ErrorSummary t={tr.t} errors={inFieldOrder(errors, order)} />
    </div>
  );
}

export function ProjectFormPage(props: ProjectFormProps) {
  const { ctx, id, action, errors, preview, saved } = props;
  const { tr } = ctx;
  const { t } = tr;
  const title = id ? t('staff-register:project.titleEdit', { title: props.values.titre_clair || id }) : t('staff-register:project.titleNew');
  return (
    <Layout
      ctx={ctx}
      title={title}
      hasErrors={errors.length > 0}
      breadcrumb={[
        { href: '/espace-pro', label: t('staff:nav.home') },
        { href: '/espace-pro/registre', label: t('staff-register:home.title') },
      ]}
    >
      <ErrorSummary t={t} errors={inFieldOrder(errors, PROJECT_FIELD_ORDER)} />
      {saved ? <SavedBanner message={saved.message} href={saved.href} linkText={t('staff-register:saved.publicPage')} /> : null}
      <h1>{title}</h1>
      <p class="lead">{t('staff-register:project.lead')}</p>
      {id ? (
        <p>
          <a href={`/projets/${id}`}>{t('staff-register:project.publicPage')}</a>
        </p>
      ) : null}
      {preview ? <ProjectPreview tr={tr} preview={preview} /> : <PreviewRegion t={t} />}
      <form method="post" action={action} id="formulaire" novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <p>{t('staff-register:form.requiredNote')}</p>
        {PROJECT_FORM_GROUPS.map((group) => (
          <Group id={`g-${group.id}`} legend={t(`staff-register:project.groups.${group.id}`)}>
            <ProjectFields t={t} props={props} group={group} />
          </Group>
        ))}
        <FormActions t={t} action={action} />
      </form>
    </Layout>
  );
}
