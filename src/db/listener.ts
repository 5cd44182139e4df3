import pg from 'pg';

export interface ChannelHandlers {
  /** Each notification's payload. */
  onNotification(payload: string): void;
  /**
   * After every (re)connection, once LISTEN is in place. Notifications sent while the listener was
   * away are lost, so this is where caches catch up. If it throws, the listener reconnects.
   */
  onListening(): Promise<void>;
}

export interface Listener {
  /** Resolves once LISTEN is in place for the first time. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 1000;

/**
 * LISTEN on a dedicated connection, not one from the pool: LISTEN belongs to a session, and a pooled
 * connection is handed to other work and may be closed by the pool at any time. When the connection
 * is lost (PostgreSQL restarted, network), it reconnects with a backoff from 100 ms doubling to 1 s,
 * so it is back within a second of the database.
 */
export function listenOnDedicatedConnection(
  connectionString: string,
  channel: string,
  handlers: ChannelHandlers,
): Listener {
  let current: pg.Client | undefined;
  let closed = false;
  let delay = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));

  const retry = () => {
    if (closed) return;
    timer = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, LAST_RETRY_MS);
  };
  const connect = async () => {
    const client = new pg.Client({ connectionString, keepAlive: true });
    client.on('error', () => {}); // 'end' follows; reconnecting is handled there
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.onNotification(message.payload ?? '');
    });
    client.on('end', () => {
      if (current !== client) return;
      current = undefined;
      retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed) throw new Error('closed');
      current = client;
      await handlers.onListening();
      delay = FIRST_RETRY_MS;
      resolveReady();
    } catch {
      current = undefined;
      await client.end().catch(() => {});
      retry();
    }
  };
  void connect();
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      const client = current;
      current = undefined;
      await client?.end().catch(() => {});
    },
  };
}
