// Server-Sent Events framing and one subscriber's connection.
// SEE: WHATWG HTML §9.2 "Server-sent events" — fields `id`, `event`, `data`,
// `retry`; a line starting with `:` is a comment (our heartbeat); an event
// ends with a blank line.
import type { ServerResponse } from 'node:http';

export interface SseEvent {
  /** Becomes the client's Last-Event-ID: the rally's log seq after this event. */
  id?: number | string;
  event: string;
  /** Serialised once, as JSON, whatever the number of subscribers. */
  data: unknown;
}

/** One event as SSE text. `data` is JSON on one line, so no line splitting is needed. */
export function formatEvent(e: SseEvent): string {
  const json = JSON.stringify(e.data);
  return `${e.id !== undefined ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${json}\n\n`;
}

/** The bytes of one event, built once and written to every subscriber. */
export function encodeEvent(e: SseEvent): Buffer {
  return Buffer.from(formatEvent(e), 'utf8');
}

/** A comment line: ignored by EventSource, but keeps proxies from closing an idle stream. */
export const HEARTBEAT = Buffer.from(': heartbeat\n\n', 'utf8');

/** Tells EventSource how long to wait before reconnecting, ms. */
export function retryField(ms: number): Buffer {
  return Buffer.from(`retry: ${Math.max(0, Math.trunc(ms))}\n\n`, 'utf8');
}

export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // NOTE: nginx buffers proxied responses unless told not to.
  'x-accel-buffering': 'no',
};

/** What a subscriber writes to; a `ServerResponse` in production, a fake in unit tests. */
export interface SseSink {
  write(chunk: Buffer): boolean;
  /** Bytes accepted but not yet handed to the kernel. */
  readonly writableLength: number;
  destroy(): void;
}

export type DropReason = 'slow' | 'closed';

/**
 * One open stream. A slow reader is dropped once more than `maxBufferedBytes`
 * wait in its buffer, so one stalled phone never makes the server hold an
 * unbounded backlog (EventSource reconnects with Last-Event-ID and resumes).
 */
export class SseClient {
  closed = false;
  /** Log seq the client already holds (its init, or the last delta sent); older deltas are not sent again. */
  seenSeq = -1;
  constructor(
    readonly sink: SseSink,
    private readonly maxBufferedBytes: number,
    private readonly onDrop: (client: SseClient, reason: DropReason) => void,
  ) {}

  /** Returns false when the client was dropped (now or before). */
  send(chunk: Buffer): boolean {
    if (this.closed) return false;
    this.sink.write(chunk);
    if (this.sink.writableLength > this.maxBufferedBytes) {
      this.close('slow');
      return false;
    }
    return true;
  }

  close(reason: DropReason): void {
    if (this.closed) return;
    this.closed = true;
    if (reason === 'slow') this.sink.destroy();
    this.onDrop(this, reason);
  }
}

/** Opens an SSE response on a raw Node response (the route has hijacked the reply). */
export function openSseResponse(res: ServerResponse, retryMs: number): void {
  res.writeHead(200, SSE_HEADERS);
  res.socket?.setNoDelay(true);
  res.write(retryField(retryMs));
}
