import type { Child } from 'hono/jsx';
import type { Answers, StepId } from '../../../server/domain/rights-request';
import { FIELD_LIMITS, INSURANCE_SCHEMES, KINDS, ON_BEHALF, STEPS } from '../../../server/domain/rights-request';
import { messageFor, toFormErrors, type FieldError as StepError } from '../../../server/domain/form-errors';
import { ErrorSummary, FieldError, type FormError } from '../../components/ErrorSummary';
import { CsrfField, DateField, Radios, TextArea, TextField } from '../../components/FormFields';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';

export type StepErrors = StepError[];
export type Choice = { id: string; name: string };

export type StepPageProps = {
  ctx: PageContext;
  step: StepId;
  /** What to show in the fields: the saved answers, or what was just typed when there are errors. */
  values: Record<string, string | undefined>;
  answers: Answers;
  errors: StepErrors;
  organisations: Choice[];
  projectChoice?: { id: string; title: string; organisation: string };
  /** Projects found by the search on the scope step (without JavaScript, after "Search"). */
  projectResults?: ProjectOption[];
  /** The route goes through the CNAM: the NIR is asked, the birth place is optional (server/domain/routing.ts). */
  asksNir: boolean;
  returnToCheck: boolean;
};

export type ProjectOption = { id: string; title: string; organisation: string };

/** The projects to choose from, as radios of the step's own form; also the htmx suggestions fragment. */
export function ProjectChoices({
  t,
  options,
  selected,
  searched,
}: {
  t: (k: string, o?: Record<string, unknown>) => string;
  options: ProjectOption[];
  selected?: string;
  searched: boolean;
}) {
  return (
    <div id="project-choices" aria-live="polite">
      {options.length > 0 ? (
        <fieldset>
          <legend>{t('request:fields.projectId.choose')}</legend>
          <div class="radios">
            {options.map((o) => (
              <div class="radio">
                <input type="radio" id={`f-projectId-${o.id}`} name="projectId" value={o.id} checked={selected === o.id} />
                <label for={`f-projectId-${o.id}`}>
                  <span lang="fr">{o.title}</span> <span class="hint">({o.organisation})</span>
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      ) : searched ? (
        <p>{t('request:fields.projectId.none')}</p>
      ) : null}
    </div>
  );
}

const href = (field: string) => `#f-${field}`;

/** Every field of the form, in the order the steps show them: the error summary lists errors in it. */
const FIELD_ORDER = [
  'kind',
  'scope',
  'projectId',
  'organisationId',
  'onBehalf',
  'requesterName',
  'relationship',
  'lastName',
  'firstNames',
  'birthName',
  'birthDay',
  'birthPlace',
  'nir',
  'insuranceScheme',
  'email',
  'postalAddress',
  'wrongData',
  'correctData',
  'reason',
  'accessScope',
  'otherDetails',
];

function Stepper({ t, step }: { t: (k: string, o?: Record<string, unknown>) => string; step: StepId }) {
  return <p class="stepper">{t('request:stepper', { n: STEPS.indexOf(step) + 1, total: STEPS.length })}</p>;
}

function StepForm({
  ctx,
  step,
  returnToCheck,
  children,
  submitLabel,
}: {
  ctx: PageContext;
  step: StepId;
  returnToCheck: boolean;
  children?: Child;
  submitLabel?: string;
}) {
  const { t } = ctx.tr;
  return (
    <form method="post" action={`/demande/${step}${returnToCheck ? '?retour=verifier' : ''}`} novalidate>
      <CsrfField token={ctx.csrfToken()} />
      {children}
      <div class="form-actions">
        <button type="submit" class="button">
          {submitLabel ?? t('request:continue')}
        </button>
      </div>
    </form>
  );
}

export function StepPage(props: StepPageProps) {
  const { ctx, step, values: v, answers, errors } = props;
  const { t } = ctx.tr;
  const err = (field: string) => messageFor(t, errors, field);
  const summary: FormError[] = toFormErrors(t, errors, (field) => href(field).slice(1));
  const title = t(`request:steps.${step}.title`);
  const index = STEPS.indexOf(step);
  const back = index === 0 ? '/demande/commencer' : `/demande/${STEPS[index - 1]}`;

  let body: Child;
  switch (step) {
    case 'type':
      body = (
        <Radios
          t={t}
          name="kind"
          legend={title}
          legendAsHeading
          error={err('kind')}
          value={v.kind}
          options={KINDS.map((k) => ({ value: k, label: t(`request:kinds.${k}.label`), hint: t(`request:kinds.${k}.hint`) }))}
        />
      );
      break;
    case 'portee':
      body = (
        <Radios
          t={t}
          name="scope"
          legend={title}
          legendAsHeading
          hint={t('request:steps.portee.hint')}
          error={err('scope')}
          value={v.scope}
          options={[
            { value: 'snds', label: t('request:scopes.snds.label'), hint: t('request:scopes.snds.hint') },
            {
              value: 'projet',
              label: t('request:scopes.projet.label'),
              hint: props.projectChoice
                ? t('request:scopes.projet.chosen', { title: props.projectChoice.title, organisation: props.projectChoice.organisation })
                : t('request:scopes.projet.hint'),
              conditional: (
                <>
                  <div class={`field${err('projectId') ? ' field--error' : ''}`}>
                    <label for="f-projectId">{t('request:fields.projectId.label')}</label>
                    <p class="hint" id="f-projectId-hint">
                      {t('request:fields.projectId.hint')}
                    </p>
                    {err('projectId') ? <FieldError t={t} id="f-projectId-error" message={err('projectId')!} /> : null}
                    <div class="search-row">
                      <input
                        type="search"
                        id="f-projectId"
                        name="projectQuery"
                        value={v.projectQuery ?? ''}
                        autocomplete="off"
                        aria-describedby={err('projectId') ? 'f-projectId-hint f-projectId-error' : 'f-projectId-hint'}
                        hx-get="/demande/projets/suggestions"
                        hx-trigger="input changed delay:300ms, search"
                        hx-target="#project-choices"
                        hx-swap="outerHTML"
                        hx-include="this"
                      />
                      <button type="submit" name="_action" value="search" class="button button--secondary">
                        {t('request:fields.projectId.search')}
                      </button>
                    </div>
                  </div>
                  <ProjectChoices
                    t={t}
                    options={props.projectResults ?? (props.projectChoice ? [props.projectChoice] : [])}
                    selected={v.projectId}
                    searched={props.projectResults !== undefined}
                  />
                </>
              ),
            },
            {
              value: 'responsable',
              label: t('request:scopes.responsable.label'),
              hint: t('request:scopes.responsable.hint'),
              conditional: (
                <div class={`field${err('organisationId') ? ' field--error' : ''}`}>
                  <label for="f-organisationId">{t('request:fields.organisationId.label')}</label>
                  {err('organisationId') ? <FieldError t={t} id="f-organisationId-error" message={err('organisationId')!} /> : null}
                  <select id="f-organisationId" name="organisationId" aria-describedby={err('organisationId') ? 'f-organisationId-error' : undefined}>
                    <option value="">{t('request:fields.organisationId.choose')}</option>
                    {props.organisations.map((o) => (
                      <option value={o.id} selected={v.organisationId === o.id}>
                        {o.name}
                      </option>
                    ))}
                  </select>
                </div>
              ),
            },
          ]}
        />
      );
      break;
    case 'pour-qui':
      body = (
        <>
          <Radios
            t={t}
            name="onBehalf"
            legend={title}
            legendAsHeading
            error={err('onBehalf')}
            value={v.onBehalf}
            options={ON_BEHALF.map((o) => ({ value: o, label: t(`request:onBehalf.${o}.label`), hint: t(`request:onBehalf.${o}.hint`) }))}
          />
          <fieldset class="field-group">
            <legend>{t('request:steps.pour-qui.otherLegend')}</legend>
            <p class="hint">{t('request:steps.pour-qui.otherHint')}</p>
            <TextField
              t={t}
              name="requesterName"
              label={t('request:fields.requesterName.label')}
              error={err('requesterName')}
              value={v.requesterName}
              autocomplete="name"
            />
            <TextField
              t={t}
              name="relationship"
              label={t('request:fields.relationship.label')}
              hint={t('request:fields.relationship.hint')}
              error={err('relationship')}
              value={v.relationship}
            />
          </fieldset>
        </>
      );
      break;
    case 'identite':
      body = (
        <>
          <h1>{title}</h1>
          <p>{answers.onBehalf && answers.onBehalf !== 'self' ? t('request:steps.identite.leadOther') : t('request:steps.identite.lead')}</p>
          <TextField
            t={t}
            name="lastName"
            label={t('request:fields.lastName.label')}
            error={err('lastName')}
            value={v.lastName}
            autocomplete={answers.onBehalf === 'self' ? 'family-name' : 'off'}
            spellcheck={false}
          />
          <TextField
            t={t}
            name="firstNames"
            label={t('request:fields.firstNames.label')}
            hint={t('request:fields.firstNames.hint')}
            error={err('firstNames')}
            value={v.firstNames}
            autocomplete={answers.onBehalf === 'self' ? 'given-name' : 'off'}
            spellcheck={false}
          />
          <TextField
            t={t}
            name="birthName"
            label={t('request:fields.birthName.label')}
            hint={t('request:fields.birthName.hint')}
            error={err('birthName')}
            value={v.birthName}
            spellcheck={false}
          />
          <DateField
            t={t}
            name="birth"
            legend={t('request:fields.birthDate.label')}
            hint={t('request:fields.birthDate.hint')}
            error={err('birthDay')}
            day={v.birthDay}
            month={v.birthMonth}
            year={v.birthYear}
          />
          <TextField
            t={t}
            name="birthPlace"
            label={t(props.asksNir ? 'request:fields.birthPlace.optional' : 'request:fields.birthPlace.label')}
            hint={t(props.asksNir ? 'request:fields.birthPlace.optionalHint' : 'request:fields.birthPlace.hint')}
            error={err('birthPlace')}
            value={v.birthPlace}
          />
          {props.asksNir ? (
            <>
              <TextField
                t={t}
                name="nir"
                label={t('request:fields.nir.label')}
                hint={t('request:fields.nir.hint')}
                error={err('nir')}
                value={v.nir}
                inputmode="text"
                spellcheck={false}
                width="medium"
                autocomplete="off"
              />
              <Radios
                t={t}
                name="insuranceScheme"
                legend={t('request:fields.insuranceScheme.label')}
                hint={t('request:fields.insuranceScheme.hint')}
                error={err('insuranceScheme')}
                value={v.insuranceScheme}
                options={INSURANCE_SCHEMES.map((s) => ({ value: s, label: t(`request:schemes.${s}`) }))}
              />
            </>
          ) : null}
        </>
      );
      break;
    case 'contact':
      body = (
        <>
          <h1>{title}</h1>
          <p>{t('request:steps.contact.lead')}</p>
          <TextField
            t={t}
            name="email"
            type="email"
            label={t('request:fields.email.label')}
            hint={t('request:fields.email.hint')}
            error={err('email')}
            value={v.email}
            autocomplete="email"
            spellcheck={false}
          />
          <TextArea
            t={t}
            name="postalAddress"
            label={t('request:fields.postalAddress.label')}
            hint={t('request:fields.postalAddress.hint')}
            error={err('postalAddress')}
            value={v.postalAddress}
            max={FIELD_LIMITS.postalAddress}
            rows={3}
          />
        </>
      );
      break;
    case 'details':
      body = (
        <>
          <h1>{title}</h1>
          {answers.kind === 'rectification' ? (
            <>
              <TextArea
                t={t}
                name="wrongData"
                label={t('request:fields.wrongData.label')}
                hint={t('request:fields.wrongData.hint')}
                error={err('wrongData')}
                value={v.wrongData}
                max={FIELD_LIMITS.wrongData}
              />
              <TextArea
                t={t}
                name="correctData"
                label={t('request:fields.correctData.label')}
                error={err('correctData')}
                value={v.correctData}
                max={FIELD_LIMITS.correctData}
              />
            </>
          ) : answers.kind === 'opposition' ? (
            <TextArea
              t={t}
              name="reason"
              label={t('request:fields.reason.label')}
              hint={t('request:fields.reason.hint')}
              error={err('reason')}
              value={v.reason}
              max={FIELD_LIMITS.reason}
            />
          ) : answers.kind === 'acces' ? (
            <TextArea
              t={t}
              name="accessScope"
              label={t('request:fields.accessScope.label')}
              hint={t('request:fields.accessScope.hint')}
              error={err('accessScope')}
              value={v.accessScope}
              max={FIELD_LIMITS.accessScope}
            />
          ) : null}
          <TextArea
            t={t}
            name="otherDetails"
            label={t('request:fields.otherDetails.label')}
            hint={t('request:fields.otherDetails.hint')}
            error={err('otherDetails')}
            value={v.otherDetails}
            max={FIELD_LIMITS.otherDetails}
            rows={4}
          />
        </>
      );
      break;
  }

  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]}>
      <p>
        <a href={back} class="back-link">
          {t('request:back')}
        </a>
      </p>
      <ErrorSummary t={t} errors={summary} order={FIELD_ORDER} />
      <Stepper t={t} step={step} />
      <StepForm ctx={ctx} step={step} returnToCheck={props.returnToCheck}>
        {body}
      </StepForm>
    </Layout>
  );
}
