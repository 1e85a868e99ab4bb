import type { Child } from 'hono/jsx';
import { CsrfField } from '../../../components/FormFields';
import type { PageContext } from '../../../page-context';

export type CeremonyProps = {
  ctx: PageContext;
  kind: 'register' | 'authenticate';
  action: string;
  challengeId: string;
  /** The WebAuthn options as JSON (from @simplewebauthn/server), read by views/assets/passkey.js. */
  options: unknown;
  button: string;
  /** Extra hidden fields (name → value). */
  hidden?: Record<string, string>;
  /** Fields shown before the button (the passkey's name). */
  children?: Child;
};

/**
 * A real form (POST, CSRF token) that views/assets/passkey.js completes: it runs the WebAuthn ceremony,
 * puts the browser's result in the hidden `response` field and submits. The ceremony itself needs
 * JavaScript and a browser with passkey support; without them the notice stays and the button stays
 * hidden, so the person reads in plain words what they need instead of a button that does nothing.
 */
export function PasskeyCeremony({ ctx, kind, action, challengeId, options, button, hidden = {}, children }: CeremonyProps) {
  const { t } = ctx.tr;
  return (
    <>
      <form
        method="post"
        action={action}
        novalidate
        data-passkey={kind}
        data-options={JSON.stringify(options)}
        data-msg-working={t('staff-auth:ceremony.working')}
        data-msg-cancelled={t('staff-auth:ceremony.cancelled')}
        data-msg-unavailable={t('staff-auth:ceremony.unavailable')}
        data-msg-already={t('staff-auth:ceremony.already')}
      >
        <CsrfField token={ctx.csrfToken()} />
        <input type="hidden" name="challengeId" value={challengeId} />
        <input type="hidden" name="response" value="" />
        {Object.entries(hidden).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <div class="callout callout--warning" data-passkey-unsupported>
          <h2>{t('staff-auth:ceremony.needsTitle')}</h2>
          <p>{t('staff-auth:ceremony.needs')}</p>
          <p>{t('staff-auth:ceremony.needsWhat')}</p>
        </div>
        <div data-passkey-ready hidden>
          {children}
          <div role="alert" data-passkey-status></div>
          <button type="submit" class="button" id="passkey-button">
            {button}
          </button>
        </div>
      </form>
      <script src={`/assets/simplewebauthn-browser.js?v=${ctx.assetVersion}`} defer nonce={ctx.nonce}></script>
      <script src={`/assets/passkey.js?v=${ctx.assetVersion}`} defer nonce={ctx.nonce}></script>
    </>
  );
}
