/**
 * The submission target of `npm run bench`: drafts ready to submit, each a complete request (every step
 * done), written into the service's database before it starts.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../../server/config';
import { createBlindIndex, createFieldCipher } from '../../server/crypto/fields';
import { openDatabase } from '../../server/db/client';
import type { Answers } from '../../server/domain/rights-request';
import { writeDraft, type RequestDeps } from '../../server/services/rights-requests';

/**
 * Drafts ready to submit, written into the service's database before it starts, each with its own
 * cookie; the CSRF token is computed as the service computes it (same secret, read from DATA_DIR).
 */
export function prepareSubmissions(dataDir: string, count: number) {
  const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  const database = openDatabase(join(dataDir, 'service.sqlite'));
  const deps = {
    db: database.db,
    cipher: createFieldCipher(config.dataKeys),
    index: createBlindIndex(config.indexKey),
    now: () => new Date(),
  } as unknown as RequestDeps;
  const csrfCookie = randomBytes(32).toString('base64url');
  const token = createHmac('sha256', config.sessionSecret).update(`csrf:${csrfCookie}`).digest('base64url');
  const drafts: string[] = [];
  database.db.transaction((tx) => {
    for (let i = 0; i < count; i += 1) {
      const answers: Answers = {
        kind: 'opposition',
        scope: 'snds',
        onBehalf: 'self',
        lastName: 'Banc',
        firstNames: `Essai ${i}`,
        birthDate: '1995-10-12',
        birthPlace: 'Paris',
        nir: '295109912611193',
        insuranceScheme: 'cpam',
        email: `banc.${i}@example.org`,
        done: ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'],
        idempotencyKey: randomUUID(),
      };
      drafts.push(writeDraft({ ...deps, db: tx as unknown as RequestDeps['db'] }, undefined, answers));
    }
  });
  database.close();
  let i = 0;
  return {
    used: () => i,
    next: () => {
      const id = drafts[i % drafts.length]!;
      i += 1;
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `demande=${id}; csrf=${csrfCookie}` },
        body: `_csrf=${token}&declaration=oui`,
      };
    },
  };
}
