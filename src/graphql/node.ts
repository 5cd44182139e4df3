/**
 * Global object identification (GraphQL's Node interface): how an object's `id` is written and
 * read back. Sources and releases keep the ids clients already pass back as arguments
 * ("mortality", "mortality-report-2025"); every other id is opaque: base64url (RFC 4648 §5,
 * without padding) of "<Type>:<key>", e.g. "UmVnaW9uOjAz" for Region "03".
 *
 * An id is read as encoded when it is the canonical base64url of "<Type>:<key>" with a type name
 * that starts with a capital letter; every other id is raw (a source or release id). A type name
 * starts with A-Z, so an encoded id starts with one of Q R S T U V W: a source or release id that
 * starts with a small letter or a digit (all of them so far) can never be mistaken for one, and
 * publishing refuses a release id that would be (`ambiguousReleaseId`).
 *
 * No GraphQL schema here: publishing and the CLI use this module too.
 */

/** The types whose ids are their own raw ids. */
export const RAW_ID_TYPES = ['Source', 'Release'] as const;

/** The typename a raw id decodes to: it is a source's or a release's id, or nothing's. */
export const RAW_ID = 'Source|Release';

const ENCODED = /^([A-Z][A-Za-z0-9_]*):([\s\S]+)$/;

const isRawType = (typename: string) => (RAW_ID_TYPES as readonly string[]).includes(typename);

/** The `id` of an object of `typename` whose key (within its type) is `key`. */
export function encodeGlobalID(typename: string, key: bigint | number | string): string {
  if (isRawType(typename)) return String(key);
  return Buffer.from(`${typename}:${key}`, 'utf8').toString('base64url');
}

/** The type and key an id names; a raw id gives the typename RAW_ID. Never throws. */
export function decodeGlobalID(id: string): { typename: string; id: string } {
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const match = ENCODED.exec(text);
  // Node reads base64 leniently: only an id that is exactly the encoding of its text is encoded.
  if (match?.[1] && match[2] && Buffer.from(text, 'utf8').toString('base64url') === id) {
    return { typename: match[1], id: match[2] };
  }
  return { typename: RAW_ID, id };
}

/**
 * Why a new release may not have this id, or undefined when it may: it would read as an encoded
 * id, or it is a source's id (node(id) must name one object).
 */
export function ambiguousReleaseId(id: string, sourceIds: readonly string[]): string | undefined {
  if (decodeGlobalID(id).typename !== RAW_ID) {
    return `"${id}" reads as the encoded id of another object (base64url of "Type:key"); start a release id with a small letter or a digit`;
  }
  if (sourceIds.includes(id)) return `"${id}" is the id of a source`;
  return undefined;
}

/** A key of several parts (a release and a cell, ...): a JSON array of strings and nulls. */
export function compositeKey(parts: readonly unknown[]): string {
  return JSON.stringify(parts.map((part) => (part == null ? null : String(part))));
}

/** The parts of a composite key, or undefined when it is not one (of `length` parts, if given). */
export function parseCompositeKey(key: string, length?: number): (string | null)[] | undefined {
  let parts: unknown;
  try {
    parts = JSON.parse(key);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || (length !== undefined && parts.length !== length)) return undefined;
  if (!parts.every((part) => part === null || typeof part === 'string')) return undefined;
  return parts as (string | null)[];
}
