import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { setListenerHearing } from './metrics.ts';

export interface ChannelHandlers {
  /** Each notification's payload. */
  onNotification(payload: string): void;
  /**
   * After every (re)connection, once LISTEN is in place. Notifications sent while the listener was
   * away are lost, so this is where caches catch up. If it throws, the listener reconnects. While
   * the listener hears nothing (see Heartbeat), it is called every second instead of notifications.
   */
  onListening(): Promise<void>;
}

export interface Listener {
  /** Resolves once LISTEN is in place for the first time. */
  ready: Promise<void>;
  /** False while the listener's own heartbeats go unheard (it polls then); true otherwise. */
  hearing(): boolean;
  close(): Promise<void>;
}

/**
 * How the listener checks that it still hears: it sends itself a NOTIFY every `intervalMs` over
 * the hub's normal connections. A LISTEN made through a pooler in transaction mode, or lost in a
 * server session that went away without closing the socket, hears nothing and never fails: only
 * the missing heartbeat tells.
 */
export interface Heartbeat {
  /** Sends NOTIFY on a channel (over the pool the hub writes through). */
  notify(channel: string, payload: string): Promise<void>;
  intervalMs?: number;
  /** A heartbeat not heard this long after it was sent means the registration is lost. */
  timeoutMs?: number;
  /** How often `onListening` is called while nothing is heard. */
  pollMs?: number;
}

/** The heartbeat's statement (statement recorders leave it out: it belongs to no request). */
export const HEARTBEAT_SQL = 'SELECT pg_notify($1, $2) /* rusdata heartbeat */';

/** A heartbeat sender over a pool: `pg_notify` in one statement. */
export function notifyThroughPool(pool: pg.Pool): Heartbeat {
  return { notify: async (channel, payload) => void (await pool.query(HEARTBEAT_SQL, [channel, payload])) };
}

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 1000;

/**
 * LISTEN on a dedicated connection, not one from the pool: LISTEN belongs to a session, and a pooled
 * connection is handed to other work and may be closed by the pool at any time. When the connection
 * is lost (PostgreSQL restarted, network), it reconnects with a backoff from 100 ms doubling to 1 s,
 * so it is back within a second of the database. With a heartbeat, a silent loss (no heartbeat
 * heard within its bound) makes it reconnect too, and poll through `onListening` every second
 * until it hears its heartbeat again.
 */
export function listenOnDedicatedConnection(
  connectionString: string,
  channel: string,
  handlers: ChannelHandlers,
  heartbeat?: Heartbeat,
): Listener {
  let current: pg.Client | undefined;
  let closed = false;
  let delay = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  // A channel of this listener's own: other hubs' heartbeats never reach it.
  const heartbeatChannel = `rusdata_heartbeat_${randomBytes(8).toString('hex')}`;
  let deaf = false;

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
      else if (message.channel === heartbeatChannel) beats.heard(Number(message.payload));
    });
    client.on('end', () => {
      if (current !== client) return;
      current = undefined;
      retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (heartbeat) await client.query(`LISTEN ${pg.escapeIdentifier(heartbeatChannel)}`);
      if (closed) throw new Error('closed');
      current = client;
      if (!deaf) setListenerHearing(channel, true);
      await handlers.onListening();
      delay = FIRST_RETRY_MS;
      resolveReady();
    } catch {
      current = undefined;
      await client.end().catch(() => {});
      retry();
    }
  };
  const beats = heartbeat
    ? startHeartbeat(heartbeat, heartbeatChannel, {
        connected: () => current !== undefined,
        lost() {
          if (!deaf) {
            console.warn(
              `[rusdata] LISTEN ${channel} heard none of its heartbeats: reconnecting, and reading the data version ` +
                'every second until it hears again (a pooler in transaction mode drops notifications: ' +
                'point DATABASE_LISTEN_URL at PostgreSQL itself)',
            );
          }
          deaf = true;
          setListenerHearing(channel, false);
          void current?.end().catch(() => {});
        },
        found() {
          if (deaf) console.warn(`[rusdata] LISTEN ${channel} hears its heartbeats again`);
          deaf = false;
          setListenerHearing(channel, true);
        },
        poll: () => (deaf && !closed ? handlers.onListening().catch(() => {}) : Promise.resolve()),
      })
    : { heard() {}, stop() {} };
  void connect();
  return {
    ready,
    hearing: () => !deaf,
    async close() {
      closed = true;
      clearTimeout(timer);
      beats.stop();
      const client = current;
      current = undefined;
      await client?.end().catch(() => {});
    },
  };
}

interface HeartbeatEvents {
  connected(): boolean;
  /** A heartbeat went unheard. */
  lost(): void;
  /** A heartbeat was heard. */
  found(): void;
  /** Called every pollMs. */
  poll(): Promise<void>;
}

function startHeartbeat(heartbeat: Heartbeat, channel: string, events: HeartbeatEvents) {
  const { intervalMs = 2000, timeoutMs = 2000, pollMs = 1000 } = heartbeat;
  let sent = 0;
  let heard = 0;
  let stopped = false;
  const beat = setInterval(async () => {
    if (!events.connected()) return;
    const number = ++sent;
    try {
      await heartbeat.notify(channel, String(number));
    } catch {
      return; // the database is away: the listener's own connection tells of that
    }
    setTimeout(() => {
      if (heard < number && !stopped) events.lost();
    }, timeoutMs).unref();
  }, intervalMs);
  const poll = setInterval(() => void events.poll(), pollMs);
  beat.unref();
  poll.unref();
  return {
    heard(number: number) {
      heard = Math.max(heard, number);
      events.found();
    },
    stop() {
      stopped = true;
      clearInterval(beat);
      clearInterval(poll);
    },
  };
}
