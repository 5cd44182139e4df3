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
      setExecuteFn(async (args: Parameters<typeof executeFn>[0] & { signal?: AbortSignal }) => {
        const controller = new AbortController();
        const signal = args.signal ? AbortSignal.any([args.signal, controller.signal]) : controller.signal;
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(
              createGraphQLError(`The request took longer than its time limit of ${ms} ms (REQUEST_TIME_LIMIT_MS).`, {
                extensions: { code: 'REQUEST_TIMEOUT', limitMs: ms },
              }),
            );
          }, ms);
        });
        try {
          const withSignal: typeof args = { ...args, signal };
          return await Promise.race([executeFn(withSignal), expired]);
        } finally {
          clearTimeout(timer);
        }
      });
    },
  };
}
