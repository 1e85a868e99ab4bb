/**
 * The JSON Schema (draft 2020-12) of the request document, the `RequestDocument` of connectors/types.ts:
 * what every recipient receives (webhook body, mail attachment, CNAM batch line), published at
 * /api/v1/schemas/request.json. The lists of values come from the domain modules, never
 * copied, so the schema cannot drift from what the service sends; tests/api/request-schema.test.ts checks
 * it against a typed sample document. Pure, no I/O.
 */

import { LANGUAGES } from '../i18n';
import { INSURANCE_SCHEMES, KINDS, ON_BEHALF, SCOPES } from '../domain/rights-request';
import { DELIVERY_ROLES, ROUTE_PARTS } from '../domain/routing';
import { REFERENCE_ALPHABET } from '../domain/reference';

/** The path the schema is served at; its `$id` is this path on the service's public URL. */
export const REQUEST_SCHEMA_ID = '/api/v1/schemas/request.json';

type Schema = Record<string, unknown>;

const string = (description: string, more: Schema = {}): Schema => ({ type: 'string', description, ...more });
const nullableString = (description: string, more: Schema = {}): Schema => ({ type: ['string', 'null'], description, ...more });
const enumOf = (description: string, values: readonly string[]): Schema => ({ type: 'string', enum: [...values], description });
const nullableEnumOf = (description: string, values: readonly string[]): Schema => ({ type: ['string', 'null'], enum: [...values, null], description });

/** An object with exactly these properties, all of them present (null where the type allows it). */
function closedObject(description: string, properties: Record<string, Schema>, nullable = false): Schema {
  return {
    type: nullable ? ['object', 'null'] : 'object',
    description,
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

/** DS-XXXX-XXXX over the reference alphabet (server/domain/reference.ts), the last character a check character. */
const referenceChar = `[${REFERENCE_ALPHABET}]`;
const REFERENCE_PATTERN = `^DS-${referenceChar}{4}-${referenceChar}{4}$`;

/**
 * The NIR as stored (normalizeNir in server/domain/nir.ts): 15 characters, digits except the department,
 * which may be 2A or 2B (Corsica).
 */
const NIR_PATTERN = '^[0-9]{5}([0-9]{2}|2A|2B)[0-9]{8}$';

const identityProperties = (nir: Schema): Record<string, Schema> => ({
  last_name: string('The last name of the person the request is about.'),
  first_names: string('Their first name or names, as they gave them.'),
  birth_name: nullableString('Their birth name, when it differs from the last name.'),
  birth_date: string('Their date of birth.', { format: 'date' }),
  birth_place: nullableString('Their place of birth, when given.'),
  nir,
  email: string('The address to write to about the request.', { format: 'email' }),
  postal_address: nullableString('A postal address, when given.'),
  requester_name: nullableString('When someone acts for another person: the name of the one who acts. Null otherwise.'),
  relationship: nullableString('When someone acts for another person: their tie to that person. Null otherwise.'),
});

/**
 * The schema, with its `$id` on `publicUrl` (the service's public base URL; a trailing slash is ignored).
 * Version 2 says which part each recipient gets (server/domain/routing.ts), as rules a validator checks:
 * - `role: answer` through the CNAM (`identity_step: cnam`): the identity with the NIR, the details;
 * - `role: answer` to a controller (`identity_step: controller`): the identity without the NIR (null);
 * - `role: notice`: no identity, no details, no callback: the controller of a project's pseudonymised
 *   sources is only told that the CNAM handles a request on its project.
 */
export function requestDocumentSchema(publicUrl: string | URL): Schema {
  const id = String(publicUrl).replace(/\/+$/, '') + REQUEST_SCHEMA_ID;
  const document = closedObject(
    'A request by a person to exercise a right over their health data (GDPR art. 15 to 18 and 21), forwarded to the organisation that must answer it (role "answer"), or a notice to a project\'s controller that another body answers a request on its project (role "notice"). Send status updates to callback_url.',
    documentProperties(identitySchema()),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: id,
    title: 'Rights request',
    ...document,
    // Which part each recipient gets (server/domain/routing.ts).
    allOf: partRules(),
  };
}

/** The identity of the person, with the NIR for the CNAM only. */
function identitySchema(): Schema {
  return closedObject(
    "Who the person is, for the recipient only: never to be logged or copied outside the request's processing. Only the body that answers gets it; null in a notice.",
    identityProperties(
      nullableString(
        'Their social security number (NIR), 15 characters: only for the CNAM, which links it to the pseudonyms of the SNDS (Code de la santé publique R1461-3 II 3° b). Null for every other recipient.',
        { pattern: NIR_PATTERN },
      ),
    ),
    true,
  );
}

/** Every property of the document, `identity` being the schema of identitySchema(). */
function documentProperties(identity: Schema): Record<string, Schema> {
  return { ...requestProperties(), ...subjectProperties(), ...personProperties(identity) };
}

/** The document and the request: its ids, the recipient's role, the route part, the right and the scope. */
function requestProperties(): Record<string, Schema> {
  return {
    $schema: string('The address of this schema.', { format: 'uri' }),
    version: { type: 'integer', const: 2, description: 'The version of this document format. Version 2 sends each recipient only the part it needs.' },
    id: string('The stable id of the request. Use it to drop a request received twice.', { format: 'uuid' }),
    reference: string('The reference the person knows and quotes, for example DS-7K3M-Q9XA.', { pattern: REFERENCE_PATTERN }),
    role: enumOf(
      'What this recipient does with the document: "answer" means you must answer the request; "notice" means you are told of a request on your project, answered_by answers it, and you receive nothing about the person.',
      DELIVERY_ROLES,
    ),
    part: enumOf(
      'What the request covers: all of the SNDS ("snds"), a project\'s pseudonymised sources ("pseudonymised", through the CNAM), its identifying sources ("identifying", its controller), or a named controller ("controller").',
      ROUTE_PARTS,
    ),
    // GDPR art. 21 (objection), 15 (access), 16 (rectification), 17 (erasure), 18 (restriction).
    kind: enumOf('The right exercised: objection, access, rectification, erasure or restriction.', KINDS),
    scope: enumOf('What the person chose: all reuse of SNDS data, one project of the register, or everything a named organisation holds.', SCOPES),
  };
}

/** What it is about and who acts: the project and its sources, the recipient, who answers, who finds the person. */
function subjectProperties(): Record<string, Schema> {
  return {
    project: closedObject(
      'The project of the register the request is about, or null when the scope is not one project.',
      {
        id: string('The id of the project in the register.'),
        title: string('The title of the project.'),
      },
      true,
    ),
    sources: {
      type: 'array',
      description: "The project's data sources this request covers; empty outside the project scope.",
      items: closedObject('A data source.', {
        id: string('The id of the source in the register.'),
        name: string('Its name.'),
        identifying: {
          type: 'boolean',
          description: 'Whether its holder keeps direct identities (a warehouse, a cohort, a registry) rather than pseudonymised data only.',
        },
      }),
    },
    organisation: closedObject('The recipient of this document.', {
      id: string('The id of the organisation.'),
      name: string('The name of the organisation.'),
    }),
    answered_by: closedObject('The organisation that must answer the person (the recipient itself when role is "answer").', {
      id: string('The id of the organisation.'),
      name: string('The name of the organisation.'),
    }),
    identity_step: enumOf(
      'Who finds the person\'s data from their identity: "cnam" (with the NIR, the CNAM finds the pseudonyms of the person in the SNDS and in each extract) or "controller" (the controller holds identities itself).',
      ['cnam', 'controller'],
    ),
  };
}

/** The person, their words and the dates that run the clock. */
function personProperties(identity: Schema): Record<string, Schema> {
  return {
    on_behalf: enumOf(
      'Who the request is for: the person themself, their child, a protected adult they represent, a deceased relative, or a person who mandated the requester in writing.',
      ON_BEHALF,
    ),
    insurance_scheme: nullableEnumOf(
      'Through the CNAM: the health insurance scheme the person said they belong to ("inconnu": they do not know), so the request reaches their body. Null otherwise, or when not given.',
      INSURANCE_SCHEMES,
    ),
    language: enumOf('The language to answer the person in.', LANGUAGES),
    identity,
    details: closedObject(
      "What the person wrote about their request. Each field is null when not given. Null in a notice: the person's words may identify them.",
      {
        reason: nullableString('Why the person objects (for an objection).'),
        wrong_data: nullableString('The data the person says is wrong (for a rectification).'),
        correct_data: nullableString('What the data should be (for a rectification).'),
        access_scope: nullableString('Which data the person wants to see (for an access request).'),
        other_details: nullableString('Anything else the person wants to say.'),
      },
      true,
    ),
    submitted_at: string('When the person sent the request.', { format: 'date-time' }),
    confirmed_at: string('When the person confirmed their e-mail address.', { format: 'date-time' }),
    // GDPR art. 12(3): one month from receipt, extendable by two further months if the person is told,
    // with the reasons, within the first month.
    received_on: string(
      'The day the answering body received the request: the one-month period to answer runs from it (for the SNDS, the day the person confirmed it).',
      { format: 'date' },
    ),
    due_on: string('The last day to answer, or to tell the person, with reasons, that the answer will take up to two more months.', { format: 'date' }),
    callback_url: nullableString('Where to send status updates: signed POST requests (Standard Webhooks). Null in a notice.', { format: 'uri' }),
  };
}

/** The rules that say which part each recipient gets, as if/then pairs a validator checks. */
function partRules(): Schema[] {
  const nonNull = (properties: Record<string, Schema>) => ({ properties });
  return [
    {
      if: { properties: { role: { const: 'notice' } } },
      then: nonNull({ identity: { type: 'null' }, details: { type: 'null' }, callback_url: { type: 'null' }, insurance_scheme: { type: 'null' } }),
      else: nonNull({ identity: { type: 'object' }, details: { type: 'object' }, callback_url: { type: 'string' } }),
    },
    {
      if: { properties: { role: { const: 'answer' }, identity_step: { const: 'cnam' } } },
      then: nonNull({ identity: { properties: { nir: { type: 'string' } } } }),
    },
    {
      if: { properties: { identity_step: { const: 'controller' } } },
      then: nonNull({ identity: { properties: { nir: { type: 'null' } } }, insurance_scheme: { type: 'null' } }),
    },
  ];
}
