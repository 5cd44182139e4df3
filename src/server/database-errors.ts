import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError } from 'graphql-yoga';

/** PostgreSQL's SQLSTATE for a cancelled statement (statement timeout, or a cancel request). */
const QUERY_CANCELED = '57014';

/** The SQLSTATE of a pg error, or of the one inside Prisma's (P2010: meta.driverAdapterError.cause.code). */
function sqlState(error: unknown): unknown {
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { code?: unknown } } } };
  return meta?.driverAdapterError?.cause?.code ?? code;
}

function isCancelled(error: unknown): boolean {
  const original = error instanceof GraphQLError ? error.originalError : error;
  return original !== undefined && original !== null && sqlState(original) === QUERY_CANCELED;
}

/**
 * Yoga's masking, except for a statement PostgreSQL cancelled at DB_STATEMENT_TIMEOUT_MS: that one
 * is said as it is (code STATEMENT_TIMEOUT), not as "Unexpected error.". Not cached (http-cache.ts).
 */
export const maskErrorsButTimeouts: typeof maskError = (error, message, isDev) => {
  if (!isCancelled(error)) return maskError(error, message, isDev);
  const located = error instanceof GraphQLError ? error : undefined;
  return createGraphQLError(
    'The database cancelled a statement that ran longer than its statement timeout (DB_STATEMENT_TIMEOUT_MS). ' +
      'Try again later, or ask for fewer figures at once.',
    { nodes: located?.nodes, path: located?.path, extensions: { code: 'STATEMENT_TIMEOUT' } },
  );
};
