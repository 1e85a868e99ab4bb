/**
 * The deliveries line of `npm run bench`: deliveries per second from the service's own worker code to a
 * local webhook receiver.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnectors } from '../../connectors';
import { createMailer } from '../../connectors/mail';
import { generateSecret } from '../../connectors/standard-webhooks';
import { loadConfig } from '../../server/config';
import { mailVarsContext } from '../../server/crypto/contexts';
import { createBlindIndex, createFieldCipher } from '../../server/crypto/fields';
import { openDatabase } from '../../server/db/client';
import { deliveryCounts } from '../../server/db/deliveries';
import { upsertOrganisation } from '../../server/db/register';
import { mailOutbox } from '../../server/db/schema';
import { STEPS, type Answers } from '../../server/domain/rights-request';
import { createI18n } from '../../server/i18n';
import { createLogger } from '../../server/logger';
import { addChannel } from '../../server/services/channels';
import { confirmRequest, readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { deliverDue, type DeliveryDeps } from '../../server/worker/deliveries';
import { start } from './processes';

export const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 2_000);
export const DELIVERIES_NAME = 'deliveries to a local webhook receiver';

/** A receiver that keeps each webhook-id and answers 204 at once; GET tells how many it saw. */
const RECEIVER_SOURCE =
  "const ids=new Set();let posts=0;const s=require('http').createServer((q,r)=>{if(q.method==='GET'){r.writeHead(200,{'content-type':'application/json'});r.end(JSON.stringify({distinct:ids.size,posts}));return}posts++;const id=q.headers['webhook-id'];if(id)ids.add(id);q.resume();r.writeHead(204);r.end()});s.listen(0,'127.0.0.1',()=>console.log('port '+s.address().port))";

export type DeliveryBench = { count: number; seconds: number; rate: number; distinct: number; posts: number; pending: number; dead: number; forwarded: number };

/**
 * Deliveries per second to a local webhook receiver, measured in this process with the
 * service's own worker code on its own database (synchronous=FULL): `count` requests are submitted and
 * confirmed through the service functions (submitDraft, then confirmRequest with the token from the
 * confirmation mail), so the outbox rows are exactly what confirmation writes; then `deliverDue` runs,
 * 50 rows a round as the worker leases them, until nothing is pending. Each delivery is a signed POST on
 * a fresh connection to a bare node:http receiver in its own process, and a durable commit of the result
 * (delivery row, request status, timeline event, queued "forwarded" mail). The mail worker does not run.
 */
export async function benchDeliveries(count: number, spawnChild: (c: ChildProcess) => void): Promise<DeliveryBench> {
  const receiver = await start(process.execPath, ['-e', RECEIVER_SOURCE], {});
  spawnChild(receiver.child);
  const origin = `http://127.0.0.1:${receiver.port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'sante-droits-bench-deliveries-'));
  const database = openDatabase(join(dataDir, 'service.sqlite'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'warn', PUBLIC_URL: 'http://127.0.0.1:3000', WEBHOOK_ALLOW: origin });
    const i18n = createI18n();
    const logger = createLogger('warn');
    const mailer = createMailer({ smtpUrl: undefined, from: config.mailFrom, dataDir });
    const cipher = createFieldCipher(config.dataKeys);
    const now = () => new Date();
    const noop = () => {};
    const requestDeps: RequestDeps = {
      db: database.db,
      cipher,
      index: createBlindIndex(config.indexKey),
      mailer,
      config,
      logger,
      now,
      i18n,
      kickMail: noop,
      groupCommit: database.groupCommit,
    };
    const connectors = createConnectors({
      mailer,
      i18n,
      publicUrl: config.publicUrl,
      dataDir,
      webhookAllow: config.webhookAllow,
      webhookTimeoutMs: config.delivery.webhookTimeoutMs,
      cnamBatchKey: config.cnamBatchKey,
      now,
    });
    const deps: DeliveryDeps = { db: database.db, cipher, config, logger, now, i18n, connectors, kickMail: noop, groupCommit: database.groupCommit };

    const organisationId = 'banc-destinataire';
    upsertOrganisation(database.db, { id: organisationId, name: 'Destinataire du banc d’essai' }, now().toISOString());
    addChannel(deps, organisationId, { kind: 'webhook', url: `${origin}/demandes`, secrets: [generateSecret()] });

    // Preparation is not timed: its commits need not reach the disk one by one.
    database.sqlite.pragma('synchronous = OFF');
    const draftIds: string[] = [];
    database.db.transaction((tx) => {
      for (let i = 0; i < count; i += 1) {
        const answers: Answers = {
          kind: 'acces',
          scope: 'responsable',
          organisationId,
          onBehalf: 'self',
          lastName: 'Banc',
          firstNames: `Livraison ${i}`,
          birthDate: '1980-02-29',
          birthPlace: 'Lyon',
          email: `livraison.${i}@example.org`,
          accessScope: 'Toutes les données me concernant.',
          done: [...STEPS],
          idempotencyKey: randomUUID(),
        };
        draftIds.push(writeDraft({ ...requestDeps, db: tx as unknown as RequestDeps['db'] }, undefined, answers));
      }
    });
    for (let i = 0; i < draftIds.length; i += 200) {
      const outcomes = await Promise.all(draftIds.slice(i, i + 200).map((id) => submitDraft(requestDeps, readDraft(requestDeps, id)!, { lang: 'fr' })));
      const bad = outcomes.find((o) => o.outcome !== 'created');
      if (bad) throw new Error(`bench submission not created: ${bad.outcome}`);
    }
    // The person's side of confirmation: the link in each confirmation mail.
    const confirmations = database.db
      .select()
      .from(mailOutbox)
      .all()
      .filter((m) => m.template === 'confirm');
    let confirmed = 0;
    for (const m of confirmations) {
      const vars = JSON.parse(cipher.decrypt(m.varsEnc, mailVarsContext(m.id))) as { link: string };
      if (confirmRequest(requestDeps, new URL(vars.link).pathname.split('/').pop()!)?.status === 'recue') confirmed += 1;
    }
    if (confirmed !== count || deliveryCounts(database.db).pending !== count)
      throw new Error(`bench: ${confirmed} of ${count} requests confirmed, ${deliveryCounts(database.db).pending} deliveries queued`);
    database.sqlite.pragma('synchronous = FULL');
    database.sqlite.pragma('wal_checkpoint(TRUNCATE)');

    const owner = `bench:${process.pid}`;
    const started = performance.now();
    for (;;) {
      const r = await deliverDue(deps, owner, 50);
      // Stop when nothing is pending, or nothing more is due now (a retry waits for its backoff).
      if (r.delivered + r.retried + r.dead === 0 || deliveryCounts(database.db).pending === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const counts = deliveryCounts(database.db);
    const seen = (await (await fetch(`${origin}/`)).json()) as { distinct: number; posts: number };
    const forwarded = (database.sqlite.prepare("select count(*) as n from rights_requests where status = 'transmise'").get() as { n: number }).n;
    mailer.close();
    return {
      count,
      seconds,
      rate: counts.delivered / seconds,
      distinct: seen.distinct,
      posts: seen.posts,
      pending: counts.pending,
      dead: counts.dead,
      forwarded,
    };
  } finally {
    database.close();
    rmSync(dataDir, { recursive: true });
  }
}
