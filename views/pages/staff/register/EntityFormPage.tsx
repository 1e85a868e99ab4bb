/**
 * The organisation and data-source forms of the back office: the fields of each, the preview of the top
 * of their public page, and the same save, preview and error patterns as the project form.
 */
import type { TFunction, Translator } from '../../../../server/i18n';
import { ZONES } from '../../../../server/domain/holidays';
import { ErrorSummary, type FormError } from '../../../components/ErrorSummary';
import { CsrfField, Radios, TextArea, TextField } from '../../../components/FormFields';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import { EntitySummary, type EntityFact } from '../../register/EntityPage';
import { errorOf, FixedId, FormActions, inFieldOrder, labelFor, PreviewRegion, SavedBanner } from './EditorFields';

export type EntityKind = 'organisation' | 'source';

type Widget = 'id' | 'text' | 'short' | 'area' | 'kind' | 'boolean' | 'zone';

const FIELDS: Record<EntityKind, { name: string; widget: Widget; required?: boolean }[]> = {
  organisation: [
    { name: 'id', widget: 'id', required: true },
    { name: 'name', widget: 'text', required: true },
    { name: 'siren', widget: 'short' },
    { name: 'kind', widget: 'kind' },
    { name: 'website', widget: 'text' },
    { name: 'zone', widget: 'zone', required: true },
    { name: 'description', widget: 'area' },
  ],
  source: [
    { name: 'id', widget: 'id', required: true },
    { name: 'name', widget: 'text', required: true },
    { name: 'kind', widget: 'kind' },
    { name: 'holder', widget: 'text' },
    { name: 'partOfSnds', widget: 'boolean', required: true },
    { name: 'identifiante', widget: 'boolean', required: true },
    { name: 'description', widget: 'area' },
  ],
};

export const ENTITY_FIELD_ORDER: Record<EntityKind, readonly string[]> = {
  organisation: FIELDS.organisation.map((f) => f.name),
  source: FIELDS.source.map((f) => f.name),
};

export function entityFieldLabel(t: TFunction, kind: EntityKind, field: string): string {
  return t(`staff-register:${kind}.fields.${field}.label`);
}

export type EntityFormProps = {
  ctx: PageContext;
  kind: EntityKind;
  /** The record's id when it exists (editing), undefined when creating. */
  id?: string;
  action: string;
  values: Record<string, string>;
  errors: FormError[];
  /** The kinds this entity may be of. */
  kinds: readonly string[];
  preview?: { name: string; description: string | null; facts: EntityFact[] };
  saved?: { message: string; href: string };
};

export function EntityPreview({ tr, kind, preview }: { tr: Translator; kind: EntityKind; preview: NonNullable<EntityFormProps['preview']> }) {
  return (
    <PreviewRegion t={tr.t}>
      <div class="project">
        <EntitySummary tr={tr} kind={kind} name={preview.name} description={preview.description} facts={preview.facts} headingLevel={3} />
      </div>
    </PreviewRegion>
  );
}

export function EntityFormPage(props: EntityFormProps) {
  const { ctx, kind, id, action, values, errors, kinds, preview, saved } = props;
  const { tr } = ctx;
  const { t } = tr;
  const title = id ? t(`staff-register:${kind}.titleEdit`, { name: values.name || id }) : t(`staff-register:${kind}.titleNew`);
  const publicPath = `/${kind === 'organisation' ? 'organisations' : 'sources'}/${id}`;
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
      <ErrorSummary t={t} errors={inFieldOrder(errors, ENTITY_FIELD_ORDER[kind])} />
      {saved ? <SavedBanner message={saved.message} href={saved.href} linkText={t('staff-register:saved.publicPage')} /> : null}
      <h1>{title}</h1>
      <p class="lead">{t(`staff-register:${kind}.lead`)}</p>
      {id ? (
        <p>
          <a href={publicPath}>{t(`staff-register:${kind}.publicPage`)}</a>
        </p>
      ) : null}
      {preview ? <EntityPreview tr={tr} kind={kind} preview={preview} /> : <PreviewRegion t={t} />}
      <form method="post" action={action} id="formulaire" novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <p>{t('staff-register:form.requiredNote')}</p>
        {FIELDS[kind].map(({ name, widget, required }) => {
          const label = labelFor(t, entityFieldLabel(t, kind, name), required === true);
          const hint = t(`staff-register:${kind}.fields.${name}.hint`, { defaultValue: '' }) || undefined;
          const error = errorOf(errors, name);
          const value = values[name] ?? '';
          switch (widget) {
            case 'id':
              return id ? (
                <FixedId label={entityFieldLabel(t, kind, 'id')} id={id} />
              ) : (
                <TextField t={t} name={name} label={label} hint={hint} error={error} value={value} width="medium" spellcheck={false} />
              );
            case 'text':
              return <TextField t={t} name={name} label={label} hint={hint} error={error} value={value} />;
            case 'short':
              return (
                <TextField t={t} name={name} label={label} hint={hint} error={error} value={value} width="medium" inputmode="numeric" spellcheck={false} />
              );
            case 'area':
              return <TextArea t={t} name={name} label={label} hint={hint} error={error} value={value} rows={5} />;
            case 'kind':
              return (
                <Radios
                  t={t}
                  name={name}
                  legend={label}
                  hint={hint}
                  error={error}
                  value={value}
                  options={[
                    ...kinds.map((k) => ({ value: k, label: t(`staff-register:${kind}.kinds.${k}`) })),
                    { value: '', label: t('staff-register:form.notSet') },
                  ]}
                />
              );
            case 'zone':
              return (
                <Radios
                  t={t}
                  name={name}
                  legend={label}
                  hint={hint}
                  error={error}
                  value={value || 'FR'}
                  options={ZONES.map((z) => ({ value: z, label: t(`tools:zones.${z}`) }))}
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
                  ]}
                />
              );
          }
        })}
        <FormActions t={t} action={action} />
      </form>
    </Layout>
  );
}
