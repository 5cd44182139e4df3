import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * A time limit per request: an operation still executing after `ms` is answered with a
 * REQUEST_TIMEOUT error, and its execution is aborted (resolvers not yet started do not run; SQL
 * already sent is bounded by the pool's statement timeout). 0 turns the limit off.
 */
export function useRequestTimeLimit(ms: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      if (ms <= 0) return;
      // Yoga's executor (@graphql-tools/executor) stops resolving fields once `signal` aborts.
      // One timer and one listener per request: AbortSignal.any and Promise.race cost more than
      // the rest of this plugin on every request, and a request almost never runs out of time.
      setExecuteFn((args: Parameters<typeof executeFn>[0] & { signal?: AbortSignal }) => {
        const controller = new AbortController();
        const outer = args.signal;
        const abort = () => controller.abort(outer?.reason);
        if (outer?.aborted) abort();
        else outer?.addEventListener('abort', abort, { once: true });
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            controller.abort();
            reject(
              createGraphQLError(`The request took longer than its time limit of ${ms} ms (REQUEST_TIME_LIMIT_MS).`, {
                extensions: { code: 'REQUEST_TIMEOUT', limitMs: ms },
              }),
            );
          }, ms);
          const done = () => {
            clearTimeout(timer);
            outer?.removeEventListener('abort', abort);
          };
          const withSignal: typeof args = { ...args, signal: controller.signal };
          Promise.resolve()
            .then(() => executeFn(withSignal))
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
      });
    },
  };
}
