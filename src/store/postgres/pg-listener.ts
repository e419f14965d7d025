// One dedicated connection that LISTENs on `rallyhq_facts`, `rallyhq_rallies`
// and `rallyhq_tokens`, so facts, definition changes, publications and token
// revocations committed by any server process wake this one. When the connection drops (PostgreSQL
// restarted, a network blip, the backend terminated) it reconnects with
// backoff and then reports `reconnected`: notifications sent while it was away
// are lost, so the store asks its consumers to re-read from their last seq.
import pg from 'pg';

export const FACTS_CHANNEL = 'rallyhq_facts';
/** Definition changes and publications: payload JSON (SEE: ./pg-notices.ts). */
export const RALLIES_CHANNEL = 'rallyhq_rallies';
/** Token revocations: payload JSON `{"tokenId", "origin"}` (SEE: ./pg-notices.ts). */
export const TOKENS_CHANNEL = 'rallyhq_tokens';
const CHANNELS = [FACTS_CHANNEL, RALLIES_CHANNEL, TOKENS_CHANNEL];

export interface ListenerEvents {
  notify(channel: string, payload: string): void;
  reconnected(): void;
  log(msg: string): void;
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

export class PgListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private backoffMs = MIN_BACKOFF_MS;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly config: pg.ClientConfig, private readonly events: ListenerEvents) {}

  /** First connection: failure is thrown to the caller (openStore reports it). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => {});
  }

  /** The backend pid of the listening connection (tests terminate it to simulate a drop). */
  get backendPid(): number | null {
    return (this.client as unknown as { processID?: number } | null)?.processID ?? null;
  }

  private async connect(): Promise<void> {
    // TCP keepalive: a connection dropped silently (NAT, firewall) must error, so the reconnect and its catch-up run.
    const client = new pg.Client({ keepAlive: true, keepAliveInitialDelayMillis: 10_000, ...this.config, application_name: 'rallyhq-listen' });
    let dropped = false;
    const onDrop = (why: string) => {
      if (dropped) return;
      dropped = true;
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
      if (!this.stopped) {
        this.events.log(`LISTEN connection lost (${why}); reconnecting`);
        this.scheduleReconnect();
      }
    };
    client.on('error', (e) => onDrop(e.message));
    client.on('end', () => onDrop('connection ended'));
    client.on('notification', (msg) => {
      if (CHANNELS.includes(msg.channel) && msg.payload) this.events.notify(msg.channel, msg.payload);
    });
    try {
      await client.connect();
      await client.query(CHANNELS.map((c) => `LISTEN ${c}`).join('; '));
    } catch (e) {
      dropped = true;
      await client.end().catch(() => {});
      throw e;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.timer || this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect().then(() => {
        if (this.stopped) return;
        this.backoffMs = MIN_BACKOFF_MS;
        this.events.log('LISTEN connection restored');
        this.events.reconnected();
      }, (e: unknown) => {
        this.events.log(`LISTEN reconnect failed: ${e instanceof Error ? e.message : String(e)}`);
        this.scheduleReconnect();
      });
    }, delay);
  }
}
