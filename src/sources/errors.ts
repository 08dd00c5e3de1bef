/**
 * Source errors, sorted by what the poll worker must do with them:
 * - SourceRateLimitedError → rate-limit the worker for `retryAfterMs` (not a failure);
 * - ChannelUnavailableError → this channel only: log clearly, count, back off; the others go on;
 * - SourceTransientError → count an error, the next scheduled poll tries again.
 */
export class SourceRateLimitedError extends Error {
  readonly code = 'SOURCE_RATE_LIMITED';
  constructor(
    readonly retryAfterMs: number,
    message = `source asks to wait ${Math.ceil(retryAfterMs / 1000)} s`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceRateLimitedError';
  }
}

export type UnavailableReason = 'no-preview' | 'unknown' | 'private';

export class ChannelUnavailableError extends Error {
  readonly code = 'CHANNEL_UNAVAILABLE';
  constructor(
    readonly channel: string,
    readonly reason: UnavailableReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`channel ${channel}: ${detail}`, options);
    this.name = 'ChannelUnavailableError';
  }
}

export class SourceTransientError extends Error {
  readonly code = 'SOURCE_TRANSIENT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceTransientError';
  }
}

/** A short, log-safe description of any error. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 500);
  return String(err).slice(0, 500);
}
