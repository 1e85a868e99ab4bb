import type { TFunction } from '../../server/i18n';

/** The four bands of the back office's queue: ≥ 10 days, 5 to 9, fewer than 5, overdue. */
export type DaysBand = 'ok' | 'soon' | 'urgent' | 'overdue';

function daysBand(daysLeft: number): DaysBand {
  if (daysLeft < 0) return 'overdue';
  if (daysLeft < 5) return 'urgent';
  if (daysLeft < 10) return 'soon';
  return 'ok';
}

/**
 * Days left before the answer is due, as a coloured badge whose words say the same as its colour (the
 * colour is never the only sign, WCAG 1.4.1). Nothing to show once answered or before delivery.
 */
export function DaysLeftBadge({ t, daysLeft }: { t: TFunction; daysLeft: number | null }) {
  if (daysLeft === null) return <span class="muted">{t('staff-requests:days.none')}</span>;
  const band = daysBand(daysLeft);
  const label =
    band === 'overdue'
      ? t('staff-requests:days.overdue', { count: -daysLeft })
      : daysLeft === 0
        ? t('staff-requests:days.today')
        : t('staff-requests:days.left', { count: daysLeft });
  return <strong class={`badge badge--days badge--days-${band}`}>{label}</strong>;
}
