/**
 * Limits for every HTTP request: bounded header/request times, a deadline per response (streams
 * excepted), no request bodies except where a route reads one (and then small), and errors that
 * never carry a stack trace.
 */
import type { Server } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface HttpLimits {
  /** Deadline for a whole (non-streaming) response. */
  responseTimeoutMs: number;
  /** Largest request body accepted by any route. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: HttpLimits = { responseTimeoutMs: 30_000, maxBodyBytes: 64 * 1024 };

/** Server-level timeouts: slow-loris headers and bodies are cut off. */
export function hardenServer(server: Server): void {
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
}

/** Refuses oversized bodies up front and answers 503 when a response overruns its deadline. */
export function requestLimits(limits: HttpLimits = DEFAULT_LIMITS): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > limits.maxBodyBytes) {
      res.status(413).json({ error: 'request body too large' });
      req.resume();
      return;
    }
    // Server-Sent Events are long-lived by design.
    if (req.path.endsWith('/stream')) return next();
    res.setTimeout(limits.responseTimeoutMs, () => {
      if (!res.headersSent) res.status(503).json({ error: 'request timed out' });
      else res.destroy();
    });
    next();
  };
}
