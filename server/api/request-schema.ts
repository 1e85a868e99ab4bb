/**
 * The JSON Schema (draft 2020-12) of the request document, the `RequestDocument` of connectors/types.ts:
 * what every recipient receives (webhook body, mail attachment, CNAM batch line), published at
 * /api/v1/schemas/request.json (DESIGN §3, §7). The lists of values come from the domain modules, never
 * copied, so the schema cannot drift from what the service sends; tests/api/request-schema.test.ts checks
 * it against a typed sample document. Pure, no I/O.
 */

import { LANGUAGES } from '../i18n';
import { INSURANCE_SCHEMES, KINDS, ON_BEHALF, SCOPES } from '../domain/rights-request';
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

/** The schema, with its `$id` on `publicUrl` (the service's public base URL; a trailing slash is ignored). */
export function requestDocumentSchema(publicUrl: string | URL): Schema {
  const id = String(publicUrl).replace(/\/+$/, '') + REQUEST_SCHEMA_ID;
  const document = closedObject(
    'A request by a person to exercise a right over their health data (GDPR art. 15 to 18 and 21), forwarded to the organisation that must answer it. Send status updates to callback_url.',
    {
      $schema: string('The address of this schema.', { format: 'uri' }),
      version: { type: 'integer', const: 1, description: 'The version of this document format.' },
      id: string('The stable id of the request. Use it to drop a request received twice.', { format: 'uuid' }),
      reference: string('The reference the person knows and quotes, for example DS-7K3M-Q9XA.', { pattern: REFERENCE_PATTERN }),
      // GDPR art. 21 (objection), 15 (access), 16 (rectification), 17 (erasure), 18 (restriction).
      kind: enumOf('The right exercised: objection, access, rectification, erasure or restriction.', KINDS),
      scope: enumOf('What the request covers: all reuse of SNDS data, one project of the register, or everything a named organisation holds.', SCOPES),
      project: closedObject(
        'The project of the register the request is about, or null when the scope is not one project.',
        {
          id: string('The id of the project in the register.'),
          title: string('The title of the project.'),
        },
        true,
      ),
      organisation: closedObject('The organisation that must answer the request.', {
        id: string('The id of the organisation.'),
        name: string('The name of the organisation.'),
      }),
      on_behalf: enumOf('Who the request is for: the person themself, their child, a protected adult in their care, or a deceased relative.', ON_BEHALF),
      insurance_scheme: nullableEnumOf(
        'For an objection to the SNDS: the health insurance scheme of the person, so the objection reaches the right body. Null otherwise.',
        INSURANCE_SCHEMES,
      ),
      language: enumOf('The language to answer the person in.', LANGUAGES),
      identity: closedObject(
        'Who the person is, for the recipient only: never to be logged or copied outside the request\'s processing.',
        {
          last_name: string('The last name of the person the request is about.'),
          first_names: string('Their first names.'),
          birth_name: nullableString('Their birth name, when it differs from the last name.'),
          birth_date: string('Their date of birth.', { format: 'date' }),
          birth_place: string('Their place of birth.'),
          nir: nullableString('Their social security number (NIR), 15 characters, only when the scope is the SNDS. Null otherwise.', { pattern: NIR_PATTERN }),
          email: string('The address to write to about the request.', { format: 'email' }),
          postal_address: nullableString('A postal address, when given.'),
          requester_name: nullableString('When someone acts for another person: the name of the one who acts. Null otherwise.'),
          relationship: nullableString('When someone acts for another person: their tie to that person. Null otherwise.'),
        },
      ),
      details: closedObject('What the person wrote about their request. Each field is null when not given.', {
        reason: nullableString('Why the person objects (for an objection).'),
        wrong_data: nullableString('The data the person says is wrong (for a rectification).'),
        correct_data: nullableString('What the data should be (for a rectification).'),
        access_scope: nullableString('Which data the person wants to see (for an access request).'),
        other_details: nullableString('Anything else the person wants to say.'),
      }),
      submitted_at: string('When the person sent the request.', { format: 'date-time' }),
      confirmed_at: string('When the person confirmed their e-mail address.', { format: 'date-time' }),
      // GDPR art. 12(3): one month from receipt, extendable by two further months if the person is told,
      // with the reasons, within the first month.
      received_on: string('The day the request reached the organisation: the one-month period to answer runs from it.', { format: 'date' }),
      due_on: string('The last day to answer, or to tell the person, with reasons, that the answer will take up to two more months.', { format: 'date' }),
      callback_url: string('Where to send status updates: signed POST requests (Standard Webhooks).', { format: 'uri' }),
    },
  );
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: id, title: 'Rights request', ...document };
}
