import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * When a request must be answered by (performance.now()), set where it arrives: a request the
 * direct route hands on to the server keeps the time it has already spent.
 */
export interface Deadline {
  deadline?: number;
}

/**
 * A time limit per request: an operation still executing after `ms` is answered with a
 * REQUEST_TIMEOUT error, and its execution is aborted (resolvers not yet started do not run; SQL
 * already sent is bounded by the pool's statement timeout). 0 turns the limit off.
 */
export function useRequestTimeLimit(ms: number): Plugin<Deadline> {
  return {
    onExecute({ executeFn, setExecuteFn, args }) {
      if (ms <= 0) return;
      const left = args.contextValue.deadline === undefined ? ms : args.contextValue.deadline - performance.now();
      // Yoga's executor (@graphql-tools/executor) stops resolving fields once `signal` aborts.
      setExecuteFn((execution: Parameters<typeof executeFn>[0] & { signal?: AbortSignal }) =>
        withinTimeLimit(
          ms,
          left,
          (signal) => executeFn({ ...execution, signal } as typeof execution),
          execution.signal,
        ),
      );
    },
  };
}

/**
 * Runs `execute` with a signal that aborts after `left` ms (or with `outer`); rejects then with
 * REQUEST_TIMEOUT, naming the limit `ms`. One timer and one listener: AbortSignal.any and
 * Promise.race cost more than the rest of this on every request, and a request almost never runs
 * out of time.
 */
export function withinTimeLimit<T>(
  ms: number,
  left: number,
  execute: (signal: AbortSignal) => T | Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort(outer?.reason);
  if (outer?.aborted) abort();
  else outer?.addEventListener('abort', abort, { once: true });
  return timeLimited(
    ms,
    left,
    () => execute(controller.signal),
    () => controller.abort(),
    () => outer?.removeEventListener('abort', abort),
  );
}

/**
 * `work`'s result, or a REQUEST_TIMEOUT error (naming the limit `ms`) when it is not done after
 * `left` ms; `onTimeout` runs then, `onSettled` once either has happened. For work that cannot be
 * aborted (a compiled query takes no signal), without the cost of a signal.
 */
export function timeLimited<T>(
  ms: number,
  left: number,
  work: () => T | Promise<T>,
  onTimeout?: () => void,
  onSettled?: () => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        onTimeout?.();
        reject(
          createGraphQLError(`The request took longer than its time limit of ${ms} ms (REQUEST_TIME_LIMIT_MS).`, {
            extensions: { code: 'REQUEST_TIMEOUT', limitMs: ms },
          }),
        );
      },
      Math.max(0, left),
    );
    const done = () => {
      clearTimeout(timer);
      onSettled?.();
    };
    Promise.resolve()
      .then(work)
      .then(
        (result) => {
          done();
          resolve(result);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
  });
}
