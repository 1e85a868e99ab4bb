import { explainDeliveryError } from '../../server/domain/delivery-errors';
import type { TFunction } from '../../server/i18n';

/** A delivery's stored error in plain words, in the reader's language; an error the mapping does not know, as stored. */
export function deliveryErrorText(t: TFunction, stored: string): string {
  const explained = explainDeliveryError(stored);
  if (!explained) return stored;
  const cause = t(`delivery-errors:${explained.key}`, explained.values);
  return explained.gaveUpAfter === null ? cause : `${cause} ${t('delivery-errors:gaveUp', { count: explained.gaveUpAfter })}`;
}

/**
 * The error of a delivery or the reason a channel was disabled. `code` also shows the stored value, the
 * one logs and the retry command speak of, for administrators; an unknown error is only shown once.
 */
export function DeliveryError({ t, error, code = false }: { t: TFunction; error: string; code?: boolean }) {
  const text = deliveryErrorText(t, error);
  if (text === error) return <code>{error}</code>;
  return code ? (
    <>
      {text} <code class="muted">{error}</code>
    </>
  ) : (
    <>{text}</>
  );
}
