/**
 * Over 300 lines: since the formatter; the channel routes would go in their own sub-app.
 *
 * The administrators' area, /espace-pro/admin: organisations and their channels,
 * users, dead deliveries and the audit log. Admins only: anyone else signed in gets a 404, logged
 * by requireRole. Every action is a real form: zod on the body, the same page again with an error
 * summary (422) when it does not hold, otherwise the service (which writes the audit entry in the
 * same transaction) and a 303 to a page that says what happened.
 *
 * A webhook secret and an invitation link are shown once: the action keeps them in memory for the
 * session that made it, and the confirmation page takes them out as it renders them, so neither is
 * ever in a URL, a log or a second page view (and neither survives a restart: rotate or invite again).
 */
import { formBody, type FormBody as Body } from '../../http';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { allowList } from '../../../connectors/webhook';
import type { AppDeps, AppEnv } from '../../context';
import { auditFor, requireRole } from '../../auth/guard';
import { auditKey } from '../../services/audit';
import { adminKey, formErrors, type AdminDeps, type AdminError } from '../../services/admin-outcome';
import { auditLogPage } from '../../services/audit-page';
import { adminOverview } from '../../services/admin-overview';
import { deadLetters, retryDeadLetter } from '../../services/dead-letters';
import { channelOf, channelSchema, channelView, channelViews, createChannel, endOverlap, rotateSecret, setChannelEnabled } from '../../services/staff-channels';
import { createOrganisation, organisationChoices, organisationOf, organisationSchema, organisationSummaries } from '../../services/staff-organisations';
import { changeUserRole, disableStaffUser, invitationSchema, inviteUser, roleSchema, userViewById, userViews } from '../../services/staff-users';
import { pageContext } from '../render';
import { createRevealStore, formValues, pageNumber } from './admin-forms';
import { AuditPage } from '../../../views/pages/staff/admin/AuditPage';
import { DeadLettersPage } from '../../../views/pages/staff/admin/DeadLettersPage';
import { OrganisationPage, OrganisationsPage, SecretPage } from '../../../views/pages/staff/admin/OrganisationPages';
import { OverviewPage } from '../../../views/pages/staff/admin/OverviewPage';
import { InvitationPage, UserPage, UsersPage } from '../../../views/pages/staff/admin/UserPages';

const BASE = '/espace-pro/admin';
const ORGANISATIONS_PAGE_SIZE = 50;
const DEAD_PAGE_SIZE = 50;
const AUDIT_PAGE_SIZE = 50;

const NOTICES = [
  'organisationCreated',
  'channelCreated',
  'channelEnabled',
  'channelDisabled',
  'overlapEnded',
  'roleChanged',
  'userDisabled',
  'deliveryRetried',
] as const;

export function staffAdminRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const guard = requireRole(deps, ['admin']);
  app.use(BASE, guard);
  app.use(`${BASE}/*`, guard);
  const shared = adminShared(deps);
  app.route('/', organisationRoutes(deps, shared));
  app.route('/', channelRoutes(deps, shared));
  app.route('/', userRoutes(deps, shared));
  app.route('/', deliveryAndAuditRoutes(deps, shared));
  return app;
}

/** What the parts below share: the services' deps, the stores of what is shown once, who acts, the organisation page. */
function adminShared(deps: AppDeps) {
  const db = deps.database.db;
  const admin: AdminDeps = { db, cipher: deps.cipher, index: deps.index, config: deps.config, now: deps.now, audit: auditFor(deps) };
  const key = auditKey(deps.config.sessionSecret);
  const allow = allowList(deps.config.webhookAllow);
  const secrets = createRevealStore<{ secret: string; reason: 'created' | 'rotated' }>();
  const invitations = createRevealStore<{ url: string; expiresAt: string; role: string }>();

  const staffOf = (c: Context<AppEnv>) => c.get('staff')!;
  const actor = (c: Context<AppEnv>) => `user:${staffOf(c).user.id}`;
  const notice = (c: Context<AppEnv>) => {
    const done = c.req.query('fait');
    return done && (NOTICES as readonly string[]).includes(done) ? c.get('tr').t(`staff-admin:notices.${done}`) : undefined;
  };

  const organisationOr404 = (c: Context<AppEnv>) => {
    const org = organisationOf(db, c.req.param('id') ?? '');
    if (!org) throw new HTTPException(404, { message: 'No such organisation' });
    return org;
  };

  const renderOrganisation = (c: Context<AppEnv>, org: { id: string; name: string; siren: string | null }, values: Body, errors: AdminError[]) =>
    c.html(
      <OrganisationPage
        ctx={pageContext(c)}
        organisation={org}
        channels={channelViews(admin, org.id)}
        allowed={deps.config.webhookAllow}
        values={values}
        errors={errors}
        notice={notice(c)}
      />,
      errors.length ? 422 : 200,
    );

  return { db, admin, key, allow, secrets, invitations, staffOf, actor, notice, organisationOr404, renderOrganisation };
}
type AdminShared = ReturnType<typeof adminShared>;

/** The overview, the list of organisations, one organisation. */
function organisationRoutes(deps: AppDeps, { db, admin, actor, notice, organisationOr404, renderOrganisation }: AdminShared) {
  const app = new Hono<AppEnv>();

  /* ---------- Overview ---------- */

  app.get(BASE, (c) => {
    const overview = adminOverview(db);
    return c.html(
      <OverviewPage ctx={pageContext(c)} deliveries={overview.deliveries} organisations={overview.organisations} activeUsers={overview.activeUsers} />,
    );
  });

  /* ---------- Organisations ---------- */

  const renderOrganisations = (c: Context<AppEnv>, values: Body, errors: AdminError[]) => {
    const requested = pageNumber(c);
    const first = organisationSummaries(db, requested, ORGANISATIONS_PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(first.total / ORGANISATIONS_PAGE_SIZE));
    const page = Math.min(requested, pages);
    const { rows, total } = page === requested ? first : organisationSummaries(db, page, ORGANISATIONS_PAGE_SIZE);
    return c.html(
      <OrganisationsPage ctx={pageContext(c)} rows={rows} total={total} page={page} pages={pages} values={values} errors={errors} notice={notice(c)} />,
      errors.length ? 422 : 200,
    );
  };

  app.get(`${BASE}/organisations`, (c) => renderOrganisations(c, {}, []));

  app.post(`${BASE}/organisations`, async (c) => {
    const body = await formBody(c);
    const parsed = organisationSchema.safeParse(body);
    if (!parsed.success) return renderOrganisations(c, formValues(body), formErrors(parsed.error));
    const created = createOrganisation(admin, actor(c), parsed.data);
    if (!created.ok) return renderOrganisations(c, formValues(body), created.errors);
    return c.redirect(`${BASE}/organisations/${encodeURIComponent(created.value)}?fait=organisationCreated`, 303);
  });

  app.get(`${BASE}/organisations/:id`, (c) => renderOrganisation(c, organisationOr404(c), {}, []));

  return app;
}

/** An organisation's channels: add, show a secret once, rotate, end the overlap, turn on or off. */
function channelRoutes(deps: AppDeps, { db, admin, allow, secrets, staffOf, actor, organisationOr404, renderOrganisation }: AdminShared) {
  const app = new Hono<AppEnv>();

  app.post(`${BASE}/organisations/:id/canaux`, async (c) => {
    const org = organisationOr404(c);
    const body = await formBody(c);
    const parsed = channelSchema(allow, deps.config.webhookAllow, org.id).safeParse(body);
    if (!parsed.success) return renderOrganisation(c, org, formValues(body), formErrors(parsed.error));
    const { channelId, secret } = createChannel(admin, actor(c), org.id, parsed.data);
    const path = `${BASE}/organisations/${encodeURIComponent(org.id)}`;
    if (!secret) return c.redirect(`${path}?fait=channelCreated#canal-${channelId}`, 303);
    secrets.put(`${staffOf(c).idHash}:${channelId}`, { secret, reason: 'created' });
    return c.redirect(`${path}/canaux/${encodeURIComponent(channelId)}/secret`, 303);
  });

  const channelOr404 = (c: Context<AppEnv>, orgId: string) => {
    const channel = channelOf(db, orgId, c.req.param('channelId') ?? '');
    if (!channel) throw new HTTPException(404, { message: 'No such channel' });
    return channel;
  };

  app.get(`${BASE}/organisations/:id/canaux/:channelId/secret`, (c) => {
    const org = organisationOr404(c);
    const channel = channelOr404(c, org.id);
    const view = channelView(admin, channel);
    const shown = secrets.take(`${staffOf(c).idHash}:${channel.id}`);
    return c.html(<SecretPage ctx={pageContext(c)} organisation={org} channel={view} reason={shown?.reason ?? 'created'} secret={shown?.secret ?? null} />);
  });

  app.post(`${BASE}/organisations/:id/canaux/:channelId/rotation`, (c) => {
    const org = organisationOr404(c);
    const channel = channelOr404(c, org.id);
    const rotated = rotateSecret(admin, actor(c), channel);
    if (!rotated.ok) return renderOrganisation(c, org, {}, rotated.errors);
    secrets.put(`${staffOf(c).idHash}:${channel.id}`, { secret: rotated.value, reason: 'rotated' });
    return c.redirect(`${BASE}/organisations/${encodeURIComponent(org.id)}/canaux/${encodeURIComponent(channel.id)}/secret`, 303);
  });

  app.post(`${BASE}/organisations/:id/canaux/:channelId/fin-chevauchement`, (c) => {
    const org = organisationOr404(c);
    const channel = channelOr404(c, org.id);
    const ended = endOverlap(admin, actor(c), channel);
    if (!ended.ok) return renderOrganisation(c, org, {}, ended.errors);
    return c.redirect(`${BASE}/organisations/${encodeURIComponent(org.id)}?fait=overlapEnded#canal-${channel.id}`, 303);
  });

  const enabledSchema = z.object({ enabled: z.enum(['oui', 'non'], { errorMap: () => ({ message: 'channel.enabledInvalid' }) }) });

  app.post(`${BASE}/organisations/:id/canaux/:channelId/activation`, async (c) => {
    const org = organisationOr404(c);
    const channel = channelOr404(c, org.id);
    const parsed = enabledSchema.safeParse(await formBody(c));
    if (!parsed.success) return renderOrganisation(c, org, {}, [{ field: 'channel', key: adminKey('channel.enabledInvalid') }]);
    const enabled = parsed.data.enabled === 'oui';
    setChannelEnabled(admin, actor(c), channel, enabled);
    return c.redirect(`${BASE}/organisations/${encodeURIComponent(org.id)}?fait=${enabled ? 'channelEnabled' : 'channelDisabled'}#canal-${channel.id}`, 303);
  });

  return app;
}

/** Staff users: invite, change role, disable. */
function userRoutes(deps: AppDeps, { db, admin, invitations, staffOf, actor, notice }: AdminShared) {
  const app = new Hono<AppEnv>();

  /* ---------- Users ---------- */

  const renderUsers = (c: Context<AppEnv>, values: Body, errors: AdminError[]) =>
    c.html(
      <UsersPage ctx={pageContext(c)} users={userViews(admin)} organisations={organisationChoices(db)} values={values} errors={errors} notice={notice(c)} />,
      errors.length ? 422 : 200,
    );

  app.get(`${BASE}/utilisateurs`, (c) => renderUsers(c, {}, []));

  app.post(`${BASE}/utilisateurs`, async (c) => {
    const body = await formBody(c);
    const parsed = invitationSchema(db).safeParse(body);
    if (!parsed.success) return renderUsers(c, formValues(body), formErrors(parsed.error));
    const invited = inviteUser(admin, actor(c), parsed.data);
    if (!invited.ok) return renderUsers(c, formValues(body), invited.errors);
    invitations.put(staffOf(c).idHash, { ...invited.value, role: parsed.data.role });
    return c.redirect(`${BASE}/utilisateurs/invitation`, 303);
  });

  app.get(`${BASE}/utilisateurs/invitation`, (c) => c.html(<InvitationPage ctx={pageContext(c)} invitation={invitations.take(staffOf(c).idHash) ?? null} />));

  const userOr404 = (c: Context<AppEnv>) => {
    const user = userViewById(admin, c.req.param('id') ?? '');
    if (!user) throw new HTTPException(404, { message: 'No such user' });
    return user;
  };

  const renderUser = (c: Context<AppEnv>, user: NonNullable<ReturnType<typeof userViewById>>, values: Body, errors: AdminError[]) =>
    c.html(
      <UserPage
        ctx={pageContext(c)}
        user={user}
        organisations={organisationChoices(db)}
        self={user.id === staffOf(c).user.id}
        values={Object.keys(values).length > 0 ? values : { role: user.role, organisationId: user.organisationId ?? '' }}
        errors={errors}
        notice={notice(c)}
      />,
      errors.length ? 422 : 200,
    );

  app.get(`${BASE}/utilisateurs/:id`, (c) => renderUser(c, userOr404(c), {}, []));

  app.post(`${BASE}/utilisateurs/:id/role`, async (c) => {
    const user = userOr404(c);
    const body = await formBody(c);
    const parsed = roleSchema(db).safeParse(body);
    if (!parsed.success) return renderUser(c, user, formValues(body), formErrors(parsed.error));
    const changed = changeUserRole(admin, actor(c), user.id, parsed.data);
    if (!changed.ok) return renderUser(c, user, formValues(body), changed.errors);
    return c.redirect(`${BASE}/utilisateurs/${encodeURIComponent(user.id)}?fait=roleChanged`, 303);
  });

  app.post(`${BASE}/utilisateurs/:id/desactivation`, (c) => {
    const user = userOr404(c);
    const disabled = disableStaffUser(admin, actor(c), user.id);
    if (!disabled.ok) return renderUser(c, user, {}, disabled.errors);
    return c.redirect(`${BASE}/utilisateurs/${encodeURIComponent(user.id)}?fait=userDisabled`, 303);
  });

  return app;
}

/** Dead deliveries and their retry, and the audit log. */
function deliveryAndAuditRoutes(deps: AppDeps, { db, admin, key, actor, notice }: AdminShared) {
  const app = new Hono<AppEnv>();

  /* ---------- Dead letters ---------- */

  const renderDead = (c: Context<AppEnv>, errors: AdminError[]) => {
    const requested = pageNumber(c);
    const first = deadLetters(db, requested, DEAD_PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(first.total / DEAD_PAGE_SIZE));
    const page = Math.min(requested, pages);
    const { rows, total } = page === requested ? first : deadLetters(db, page, DEAD_PAGE_SIZE);
    return c.html(
      <DeadLettersPage ctx={pageContext(c)} rows={rows} total={total} page={page} pages={pages} errors={errors} notice={notice(c)} />,
      errors.length ? 422 : 200,
    );
  };

  app.get(`${BASE}/livraisons`, (c) => renderDead(c, []));

  app.post(`${BASE}/livraisons/:id/relance`, (c) => {
    if (!retryDeadLetter(admin, actor(c), c.req.param('id'))) return renderDead(c, [{ field: 'delivery', key: adminKey('delivery.notDead') }]);
    // The worker takes it at its next round; a kick makes that now (after the commit, never inside it).
    deps.deliveryWorker.kick();
    return c.redirect(`${BASE}/livraisons?fait=deliveryRetried`, 303);
  });

  /* ---------- Audit log ---------- */

  app.get(`${BASE}/journal`, (c) => {
    const { entries, total, page, pages, verification } = auditLogPage(db, key, pageNumber(c), AUDIT_PAGE_SIZE);
    return c.html(<AuditPage ctx={pageContext(c)} entries={entries} total={total} page={page} pages={pages} verification={verification} />);
  });

  return app;
}
