/**
 * "Follow by e-mail" on a project, an organisation, a data source or a register search: a link to the
 * short follow form (/suivre/...), which works with JavaScript off. On /projets the search's link is
 * swapped out of band by htmx with the results, so it always follows the filters shown.
 */
import { followFormPath, searchTarget, type FollowKind } from '../../server/domain/follows';
import type { RegisterParams } from '../../server/domain/register-query';
import type { Translator } from '../../server/i18n';

export function FollowLink({ tr, kind, target, oob }: { tr: Translator; kind: Exclude<FollowKind, 'search'>; target: string; oob?: boolean }) {
  return <FollowLinkBlock tr={tr} kind={kind} href={followFormPath({ kind, target })} oob={oob} />;
}

export function FollowSearchLink({ tr, params, oob }: { tr: Translator; params: RegisterParams; oob?: boolean }) {
  return <FollowLinkBlock tr={tr} kind="search" href={followFormPath({ kind: 'search', target: searchTarget(params) })} oob={oob} />;
}

function FollowLinkBlock({ tr, kind, href, oob }: { tr: Translator; kind: FollowKind; href: string; oob?: boolean }) {
  const { t } = tr;
  return (
    <p class="follow-link" id={`follow-${kind}`} hx-swap-oob={oob ? 'true' : undefined}>
      <a href={href}>{t(`follow:link.${kind}`)}</a> <span class="hint">{t('follow:link.hint')}</span>
    </p>
  );
}
