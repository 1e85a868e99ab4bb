/**
 * "Who will receive what": for each body that must answer, what it receives of the person's data, who
 * is only told of the request, and when the legal month starts (server/domain/routing.ts). Shown on the
 * check-your-answers page, the receipt and the confirmation, in plain words.
 */
import type { Translator } from '../../server/i18n';

export type RoutePart = {
  part: string;
  answererName: string;
  notifiedNames: string[];
  sourceNames: string[];
  clock: string;
  /** The answerer works in the back office: the request reaches it when the person confirms it. */
  portal: boolean;
  /** Once submitted: the part's reference and its due date (estimated until received). */
  reference?: string;
  due?: { date: string; estimated: boolean };
};

export function RoutePlan({
  tr,
  parts,
  kind,
  scheme,
  headingLevel = 2,
}: {
  tr: Translator;
  parts: RoutePart[];
  kind?: string;
  scheme?: string;
  headingLevel?: 2 | 3;
}) {
  const { t, date } = tr;
  const list = (names: string[]) => names.join(', ');
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const throughCnam = parts.some((p) => p.part === 'snds' || p.part === 'pseudonymised');
  return (
    <section class="route-plan" aria-labelledby="route-plan-title">
      <H id="route-plan-title">{t('request:route.title')}</H>
      {parts.length > 1 ? <p>{t('request:route.twoParts')}</p> : null}
      <ul class="route-plan__list">
        {parts.map((p) => (
          <li>
            <p>
              {p.part === 'snds'
                ? t('request:route.snds')
                : p.part === 'pseudonymised'
                  ? p.sourceNames.length
                    ? t('request:route.pseudonymised', { sources: list(p.sourceNames) })
                    : t('request:route.pseudonymisedNoSources')
                  : p.part === 'identifying'
                    ? t('request:route.identifying', { organisation: p.answererName, sources: list(p.sourceNames) })
                    : t('request:route.controller', { organisation: p.answererName })}
            </p>
            {p.notifiedNames.map((n) => (
              <p>{t('request:route.notified', { organisation: n })}</p>
            ))}
            <p>
              {p.clock === 'confirmation'
                ? t('request:route.clockConfirmation')
                : p.portal
                  ? t('request:route.clockPortal', { organisation: p.answererName })
                  : t('request:route.clockDelivery', { organisation: p.answererName })}
            </p>
            {p.due ? (
              <p>{p.due.estimated ? t('request:route.dueEstimated', { date: date(p.due.date) }) : t('request:route.due', { date: date(p.due.date) })}</p>
            ) : null}
            {p.reference && parts.length > 1 ? (
              <p>
                {t('request:route.reference')} <strong class="reference">{p.reference}</strong>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      {throughCnam && kind === 'opposition' ? <p>{t('request:route.body', { body: t(`request:schemeBodies.${scheme ?? 'inconnu'}`) })}</p> : null}
    </section>
  );
}

/** Before sending an erasure or a restriction that reaches the SNDS: what cannot be erased, and what the request can still obtain. */
export function SndsErasureNote({ tr, kind, parts }: { tr: Translator; kind?: string; parts: { part: string }[] }) {
  if ((kind !== 'effacement' && kind !== 'limitation') || !parts.some((p) => p.part === 'snds' || p.part === 'pseudonymised')) return null;
  return (
    <div class="callout callout--warning">
      <h2>{tr.t('request:route.erasureTitle')}</h2>
      <p>{tr.t(kind === 'effacement' ? 'request:route.erasureSnds' : 'request:route.restrictionSnds')}</p>
    </div>
  );
}
