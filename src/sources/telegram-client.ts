/**
 * The only file that imports gramjs (`telegram`). gramjs is archived; its fork `teleproto` keeps
 * the API, so replacing the library means changing the imports here and nothing else.
 *
 * Everything above this file speaks TelegramGateway: plain ids and messages, our own errors
 * (SourceRateLimitedError for flood waits, ChannelUnavailableError for unknown/private channels).
 */
import { Api, Logger as GramLogger, TelegramClient, errors } from 'telegram';
import { EditedMessage } from 'telegram/events/EditedMessage.js';
import { NewMessage } from 'telegram/events/index.js';
import { LogLevel } from 'telegram/extensions/Logger.js';
import { returnBigInt } from 'telegram/Helpers.js';
import { StringSession } from 'telegram/sessions/index.js';
import type { Logger } from '../logger.js';
import { ChannelUnavailableError, SourceRateLimitedError, SourceTransientError } from './errors.js';

/** A channel as MTProto addresses it, without a username lookup. */
export interface TgPeer {
  id: string;
  accessHash: string;
}

export interface TgMessage {
  id: number;
  /** Unix seconds. */
  date: number;
  editDate?: number;
  /** Plain text (`message.message`, not the Markdown re-rendering of `.text`). */
  text: string;
  views?: number;
  forwardedFrom?: string;
  groupedId?: string;
  /** A service message (pinned, title changed …): it has an id but no post. */
  service: boolean;
}

export interface HistoryParams {
  /** Only ids above this. */
  minId?: number;
  /** Only ids below this (exclusive). */
  offsetId?: number;
  limit: number;
  /** Oldest first (with minId: the incremental read). */
  reverse?: boolean;
}

export interface ChannelActivity {
  peerId: string;
  kind: 'new' | 'edit';
}

export interface TelegramGateway {
  connect(): Promise<void>;
  resolveChannel(username: string): Promise<TgPeer>;
  history(peer: TgPeer, params: HistoryParams): Promise<TgMessage[]>;
  /** Live updates: only a hint to poll early; they stop silently and are never caught up. */
  onActivity(listener: (activity: ChannelActivity) => void): void;
  destroy(): Promise<void>;
}

/**
 * The part of gramjs's TelegramClient this adapter uses: the boundary a test fake implements.
 */
export interface GramClient {
  connect(): Promise<boolean | void>;
  checkAuthorization(): Promise<boolean>;
  getEntity(entity: string): Promise<unknown>;
  iterMessages(entity: unknown, params: Record<string, unknown>): AsyncIterable<unknown>;
  addEventHandler(callback: (event: unknown) => void, builder: unknown): void;
  destroy(): Promise<void>;
}

export type GramClientFactory = (session: StringSession, apiId: number, apiHash: string, logger: Logger) => GramClient;

export interface GatewayOptions {
  apiId: number;
  apiHash: string;
  /** The StringSession text (a full account credential: never log it). */
  session: string;
  logger: Logger;
  /** Flood waits up to this are slept inside gramjs; longer ones become SourceRateLimitedError. */
  floodSleepThresholdS?: number;
  clientFactory?: GramClientFactory;
}

/** gramjs log lines into pino, at the matching level. */
export class PinoGramLogger extends GramLogger {
  constructor(private readonly pinoLogger: Logger) {
    super(gramLevelFor(pinoLogger.level));
  }
  override log(level: LogLevel, message: string): void {
    const method = level === LogLevel.ERROR ? 'error' : level === LogLevel.WARN ? 'warn' : level === LogLevel.INFO ? 'info' : 'debug';
    this.pinoLogger[method]({ gramjs: true }, message);
  }
}

function gramLevelFor(pinoLevel: string): LogLevel {
  if (pinoLevel === 'debug' || pinoLevel === 'trace') return LogLevel.DEBUG;
  if (pinoLevel === 'silent') return LogLevel.NONE;
  if (pinoLevel === 'error' || pinoLevel === 'fatal') return LogLevel.ERROR;
  // gramjs logs every connection step at info; a warning level keeps the service log readable.
  return LogLevel.WARN;
}

function gramjsClient(session: StringSession, apiId: number, apiHash: string, logger: Logger, floodSleepThreshold = 60): TelegramClient {
  return new TelegramClient(session, apiId, apiHash, {
    connectionRetries: 10,
    autoReconnect: true,
    floodSleepThreshold,
    baseLogger: new PinoGramLogger(logger.child({ component: 'gramjs' })),
  });
}

/** Maps a gramjs error to ours; anything unknown stays as it is. */
export function mapGramError(err: unknown, channel?: string): unknown {
  if (err instanceof errors.FloodWaitError) {
    return new SourceRateLimitedError(err.seconds * 1000, `Telegram flood wait of ${err.seconds} s`, { cause: err });
  }
  if (err instanceof errors.RPCError) {
    const code = err.errorMessage;
    if (channel && /^(USERNAME_NOT_OCCUPIED|USERNAME_INVALID)$/.test(code)) {
      return new ChannelUnavailableError(channel, 'unknown', `no such username (${code})`, { cause: err });
    }
    if (channel && /^(CHANNEL_PRIVATE|CHANNEL_INVALID|CHAT_FORBIDDEN)$/.test(code)) {
      return new ChannelUnavailableError(channel, 'private', `channel not readable with this session (${code})`, { cause: err });
    }
    if (code === 'AUTH_KEY_UNREGISTERED' || code === 'SESSION_REVOKED' || code === 'USER_DEACTIVATED') {
      return new SourceTransientError(`the Telegram session is no longer valid (${code}); run the login command again`, { cause: err });
    }
  }
  // getEntity turns USERNAME_NOT_OCCUPIED into a plain Error with this wording.
  if (channel && err instanceof Error && /^(No user has ".*" as username|Cannot find any entity corresponding to)/.test(err.message)) {
    return new ChannelUnavailableError(channel, 'unknown', `no such username on Telegram`, { cause: err });
  }
  return err;
}

function toMessage(raw: unknown): TgMessage | undefined {
  if (!(raw instanceof Object) || !('id' in raw)) return undefined;
  const m = raw as {
    id: number;
    date?: number;
    editDate?: number;
    message?: string;
    views?: number;
    action?: unknown;
    groupedId?: { toString(): string };
    fwdFrom?: { fromName?: string; fromId?: { channelId?: { toString(): string }; userId?: { toString(): string } } };
    className?: string;
  };
  if (m.className === 'MessageEmpty' || typeof m.date !== 'number') return undefined;
  const msg: TgMessage = { id: m.id, date: m.date, text: typeof m.message === 'string' ? m.message : '', service: m.action !== undefined || m.className === 'MessageService' };
  if (m.editDate) msg.editDate = m.editDate;
  if (typeof m.views === 'number') msg.views = m.views;
  if (m.groupedId !== undefined && m.groupedId !== null) msg.groupedId = m.groupedId.toString();
  const fwd = m.fwdFrom;
  if (fwd) {
    const origin = fwd.fromName ?? (fwd.fromId?.channelId ? `channel ${fwd.fromId.channelId.toString()}` : fwd.fromId?.userId ? `user ${fwd.fromId.userId.toString()}` : undefined);
    if (origin) msg.forwardedFrom = origin;
  }
  return msg;
}

function peerIdOf(event: unknown): string | undefined {
  const peer = (event as { message?: { peerId?: { channelId?: { toString(): string } } } }).message?.peerId;
  return peer?.channelId?.toString();
}

/** Opens a gateway over a saved StringSession. */
export function createTelegramGateway(options: GatewayOptions): TelegramGateway {
  const session = new StringSession(options.session);
  const factory: GramClientFactory =
    options.clientFactory ?? ((s, id, hash, logger) => gramjsClient(s, id, hash, logger, options.floodSleepThresholdS ?? 60) as unknown as GramClient);
  const client = factory(session, options.apiId, options.apiHash, options.logger);
  const inputPeer = (peer: TgPeer) => new Api.InputPeerChannel({ channelId: returnBigInt(peer.id), accessHash: returnBigInt(peer.accessHash) });

  return {
    async connect() {
      try {
        await client.connect();
        if (!(await client.checkAuthorization())) {
          throw new SourceTransientError('the Telegram session is not logged in; run the login command');
        }
      } catch (err) {
        throw mapGramError(err);
      }
    },
    async resolveChannel(username) {
      let entity: unknown;
      try {
        entity = await client.getEntity(username);
      } catch (err) {
        throw mapGramError(err, username);
      }
      const e = entity as { className?: string; id?: { toString(): string }; accessHash?: { toString(): string } };
      if (e.className !== 'Channel' || !e.id || !e.accessHash) {
        throw new ChannelUnavailableError(username, 'unknown', `@${username} is not a channel (${e.className ?? 'unknown entity'})`);
      }
      return { id: e.id.toString(), accessHash: e.accessHash.toString() };
    },
    async history(peer, params) {
      const iterParams: Record<string, unknown> = { limit: params.limit };
      if (params.minId !== undefined) iterParams.minId = params.minId;
      if (params.offsetId !== undefined) iterParams.offsetId = params.offsetId;
      if (params.reverse) iterParams.reverse = true;
      const out: TgMessage[] = [];
      try {
        for await (const raw of client.iterMessages(inputPeer(peer), iterParams)) {
          const m = toMessage(raw);
          if (m) out.push(m);
        }
      } catch (err) {
        throw mapGramError(err);
      }
      return out;
    },
    onActivity(listener) {
      const emit = (kind: ChannelActivity['kind']) => (event: unknown) => {
        const peerId = peerIdOf(event);
        if (peerId) listener({ peerId, kind });
      };
      client.addEventHandler(emit('new'), new NewMessage({}));
      client.addEventHandler(emit('edit'), new EditedMessage({}));
    },
    async destroy() {
      // disconnect() leaves gramjs's ping loop running; destroy() stops it.
      await client.destroy();
    },
  };
}

export interface LoginPrompts {
  phoneNumber(): Promise<string>;
  phoneCode(): Promise<string>;
  password(hint?: string): Promise<string>;
  /** A login step failed (wrong code …); the prompt is asked again. */
  onError(err: Error): void;
}

/**
 * Interactive login: phone, code, 2FA password. Returns the StringSession text to store; the
 * caller must keep it out of logs.
 */
export async function loginWithPrompts(options: { apiId: number; apiHash: string; logger: Logger; prompts: LoginPrompts }): Promise<string> {
  const session = new StringSession('');
  const client = gramjsClient(session, options.apiId, options.apiHash, options.logger);
  try {
    await client.start({
      phoneNumber: () => options.prompts.phoneNumber(),
      phoneCode: () => options.prompts.phoneCode(),
      password: (hint) => options.prompts.password(hint),
      onError: (err) => {
        options.prompts.onError(err);
        // A flood wait during login will not pass by retrying now: stop.
        return Promise.resolve(err instanceof errors.FloodWaitError);
      },
    });
    return session.save();
  } finally {
    await client.destroy().catch(() => undefined);
  }
}
