import { createGraphQLError } from 'graphql-yoga';
import { CubeQueryError } from '../cube/errors.ts';

/** Error codes clients can rely on (in `extensions.code`). */
export type UserErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNKNOWN_CODE'
  | 'BREAKDOWN_NOT_PUBLISHED'
  | 'OUT_OF_COVERAGE'
  | 'INVALID_RANGE'
  | 'INVALID_FILE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RELEASE_NOT_SCHEDULED'
  | 'READ_ONLY'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'MISSING_API_KEY'
  | 'INVALID_API_KEY'
  | 'REVOKED_API_KEY'
  | 'FORBIDDEN';

/** An expected error, shown to the client as is; anything else is masked by Yoga. */
export function userError(code: UserErrorCode, message: string, details: Record<string, unknown> = {}) {
  return createGraphQLError(message, { extensions: { code, ...details } });
}

/** A cube's refusal (unknown code, unpublished breakdown, ...) as the user error it is; other errors unchanged. */
export function asUserError(error: unknown): unknown {
  return error instanceof CubeQueryError ? userError(error.code, error.message, error.details) : error;
}
