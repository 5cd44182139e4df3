import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../db/database.ts';
import type { ApiKey } from '../db/generated/prisma/client.ts';
import { audit } from './audit.ts';

/** The scope that may read the audit log and withdraw any release. */
export const ADMIN_SCOPE = 'admin';

export type KeyProblem = 'MISSING_API_KEY' | 'INVALID_API_KEY' | 'REVOKED_API_KEY';

const TOKEN = /^rk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Creates a key with the given scopes (source ids, or "admin"). The token is returned once and
 * only its hash is stored: a random 256-bit secret needs no slow hash to resist guessing.
 */
export async function createApiKey(prisma: PrismaClient, name: string, scopes: string[], actor: string) {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = await prisma.apiKey.create({ data: { id, name, scopes, secretHash: hashOf(secret) } });
  await audit(prisma, {
    actor,
    action: 'KEY_CREATE',
    result: 'OK',
    detail: `key ${id} "${name}" scopes ${scopes.join(',')}`,
  });
  return { key, token: `rk_${id}_${secret}` };
}

export async function revokeApiKey(prisma: PrismaClient, id: string, actor: string): Promise<ApiKey> {
  const key = await prisma.apiKey.findUnique({ where: { id } });
  if (!key) throw new Error(`No API key has the id ${id}.`);
  const revoked = key.revokedAt ? key : await prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  await audit(prisma, { actor, action: 'KEY_REVOKE', result: 'OK', detail: `key ${id} "${key.name}"` });
  return revoked;
}

/** Checks a bearer token: the key, or which problem it has. Compares hashes in constant time. */
export async function verifyApiKey(prisma: PrismaClient, token: string | null): Promise<ApiKey | KeyProblem> {
  if (!token) return 'MISSING_API_KEY';
  const [, id, secret] = TOKEN.exec(token.trim()) ?? [];
  if (!id || !secret) return 'INVALID_API_KEY';
  const key = await prisma.apiKey.findUnique({ where: { id } });
  const presented = Buffer.from(hashOf(secret), 'hex');
  // Compare against a stand-in when the id is unknown, so both cases take the same time.
  const stored = Buffer.from(key?.secretHash ?? hashOf('unknown key'), 'hex');
  if (!timingSafeEqual(presented, stored) || !key) return 'INVALID_API_KEY';
  return key.revokedAt ? 'REVOKED_API_KEY' : key;
}

/** The token from `Authorization: Bearer <token>` or `X-Api-Key: <token>`; never logged. */
export function tokenFrom(headers: Pick<Headers, 'get'>): string | null {
  const authorization = headers.get('authorization');
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim();
  return headers.get('x-api-key');
}
