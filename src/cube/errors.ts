/** Why a cube query cannot be answered; the GraphQL layer shows it to the client with its code. */
export type CubeQueryErrorCode = 'UNKNOWN_CODE' | 'BREAKDOWN_NOT_PUBLISHED' | 'OUT_OF_COVERAGE' | 'INVALID_RANGE';

/** A query the cube cannot answer as asked: the message names the argument and the valid values. */
export class CubeQueryError extends Error {
  readonly code: CubeQueryErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: CubeQueryErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CubeQueryError';
    this.code = code;
    this.details = details;
  }
}

/** Lists values for an error message: `"a", "b" and "c"`. */
export function listForMessage(values: readonly string[]): string {
  const quoted = values.map((value) => `"${value}"`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
