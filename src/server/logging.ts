import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import type { Config } from '../config.ts';

/** The id of the request being served, for every line logged while serving it. */
const requestIds = new AsyncLocalStorage<string>();

/** An incoming x-request-id is kept when it looks like an id (a proxy's or a CDN's); otherwise a new one is made. */
const REQUEST_ID = /^[\w.:@-]{1,128}$/;

export interface HubLog {
  /** One line about the hub itself (start, shutdown). */
  line(text: string): void;
  /** The logger Yoga reports errors to; undefined: Yoga's own (text lines). */
  yoga?: pino.Logger;
  /** Where a line per request goes; undefined: none (LOG_FORMAT=text). */
  requests?: pino.Logger;
}

/**
 * LOG_FORMAT=text (default): the hub's lines as they always read, `[rusdata] ...`, and no line per
 * request. LOG_FORMAT=json: pino, one JSON object a line, at LOG_LEVEL; each line logged while a
 * request is served carries its id (`reqId`), and every request ends with one line.
 */
export function createHubLog(
  config: Pick<Config, 'LOG_FORMAT' | 'LOG_LEVEL'>,
  destination?: pino.DestinationStream,
): HubLog {
  if (config.LOG_FORMAT === 'text') {
    const quiet = config.LOG_LEVEL === 'silent' || config.LOG_LEVEL === 'error';
    return { line: (text) => void (quiet || console.log(`[rusdata] ${text}`)) };
  }
  const logger = pino(
    {
      level: config.LOG_LEVEL,
      base: { service: 'rusdata', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const reqId = requestIds.getStore();
        return reqId ? { reqId } : {};
      },
    },
    destination,
  );
  return { line: (text) => logger.info(text), yoga: logger, requests: logger };
}

/**
 * Gives every request an id (the incoming `x-request-id`, or a new UUID), returned as the
 * `x-request-id` response header, seen by the handler in the request's headers, and carried by
 * every line logged while it is served; with a logger, one line when the response is finished.
 */
export function withRequestIds(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  logger?: pino.Logger,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.headers['x-request-id'] = id;
    res.setHeader('x-request-id', id);
    if (logger) {
      const started = performance.now();
      res.once('close', () => {
        const [path = '', query] = (req.url ?? '').split('?', 2);
        logger.info(
          {
            reqId: id,
            method: req.method,
            path,
            query: query && query.length > 300 ? `${query.slice(0, 300)}…` : query,
            status: res.statusCode,
            ms: Math.round((performance.now() - started) * 10) / 10,
            bytes: Number(res.getHeader('content-length')) || undefined,
            cache: res.getHeader('etag') ? String(res.getHeader('cache-control')) : undefined,
          },
          'request',
        );
      });
    }
    // Only JSON lines carry the id: without a logger, no async context is kept (keeping one slows
    // every promise of the request).
    if (logger) requestIds.run(id, () => handler(req, res));
    else handler(req, res);
  };
}
