/**
 * A fake at the gramjs client boundary (the GramClient interface of src/sources/telegram-client.ts):
 * it answers getEntity / iterMessages / addEventHandler with real gramjs objects (Api.Channel,
 * Api.Message, Api.MessageService, errors.FloodWaitError) from an in-memory Telegram, so that the
 * adapter and everything above it run their production code.
 *
 * FakeTelegram is the world (channels, messages, scripted errors); each client the adapter makes
 * is a FakeGramClient over it, so a "restart" is a new client on the same world.
 */
import { Api, errors } from 'telegram';
import { EditedMessage } from 'telegram/events/EditedMessage.js';
import { NewMessage } from 'telegram/events/index.js';
import { returnBigInt } from 'telegram/Helpers.js';
import type { GramClient, GramClientFactory } from '../../src/sources/telegram-client.js';

export interface FakeMessage {
  id: number;
  /** Unix seconds. */
  date: number;
  text: string;
  editDate?: number;
  views?: number;
  groupedId?: string;
  forwardedFromName?: string;
  /** A service message (channel created, pinned …). */
  service?: boolean;
  deleted?: boolean;
}

interface FakeChannelState {
  username: string;
  id: string;
  accessHash: string;
  messages: FakeMessage[];
}

export interface IterCall {
  channelId: string;
  params: Record<string, unknown>;
}

export class FakeTelegram {
  readonly channels = new Map<string, FakeChannelState>();
  readonly clients: FakeGramClient[] = [];
  readonly iterCalls: IterCall[] = [];
  readonly resolveCalls: string[] = [];
  /** Errors thrown by the next calls of a kind, in order. */
  readonly nextErrors: { iterMessages: Error[]; getEntity: Error[] } = { iterMessages: [], getEntity: [] };
  authorized = true;
  private nextId = 1_000_000_000;

  addChannel(username: string, messages: FakeMessage[] = []): FakeChannelState {
    const ch: FakeChannelState = { username, id: String(this.nextId++), accessHash: String(-(7_000_000_000 + this.nextId)), messages: [...messages] };
    this.channels.set(username.toLowerCase(), ch);
    return ch;
  }

  channel(username: string): FakeChannelState {
    const ch = this.channels.get(username.toLowerCase());
    if (!ch) throw new Error(`fake Telegram has no channel ${username}`);
    return ch;
  }

  /** Posts a message and tells every connected client (NewMessage). */
  post(username: string, message: FakeMessage): void {
    const ch = this.channel(username);
    ch.messages.push(message);
    for (const c of this.clients) c.emit('new', ch, message);
  }

  /** Edits a message (editDate set) and tells every connected client (EditedMessage). */
  edit(username: string, id: number, text: string, editDate: number): void {
    const ch = this.channel(username);
    const m = ch.messages.find((x) => x.id === id);
    if (!m) throw new Error(`no message ${id}`);
    m.text = text;
    m.editDate = editDate;
    for (const c of this.clients) c.emit('edit', ch, m);
  }

  floodWait(seconds: number, on: 'iterMessages' | 'getEntity' = 'iterMessages'): void {
    const request = on === 'iterMessages' ? new Api.messages.GetHistory({}) : new Api.contacts.ResolveUsername({ username: 'x' });
    this.nextErrors[on].push(new errors.FloodWaitError({ request, capture: seconds }));
  }

  /** The factory the adapter calls instead of `new TelegramClient(...)`. */
  readonly factory: GramClientFactory = () => {
    const client = new FakeGramClient(this);
    this.clients.push(client);
    return client;
  };
}

function toApiMessage(ch: FakeChannelState, m: FakeMessage): Api.Message | Api.MessageService {
  const peerId = new Api.PeerChannel({ channelId: returnBigInt(ch.id) });
  if (m.service) return new Api.MessageService({ id: m.id, peerId, date: m.date, action: new Api.MessageActionPinMessage() });
  return new Api.Message({
    id: m.id,
    peerId,
    date: m.date,
    message: m.text,
    post: true,
    ...(m.editDate ? { editDate: m.editDate } : {}),
    ...(m.views !== undefined ? { views: m.views } : {}),
    ...(m.groupedId ? { groupedId: returnBigInt(m.groupedId) } : {}),
    ...(m.forwardedFromName ? { fwdFrom: new Api.MessageFwdHeader({ date: m.date, fromName: m.forwardedFromName }) } : {}),
  });
}

export class FakeGramClient implements GramClient {
  connected = false;
  destroyed = false;
  private handlers: Array<{ callback: (event: unknown) => void; builder: unknown }> = [];

  constructor(private readonly world: FakeTelegram) {}

  async connect(): Promise<boolean> {
    if (this.destroyed) throw new Error('client destroyed');
    this.connected = true;
    return true;
  }

  async checkAuthorization(): Promise<boolean> {
    return this.world.authorized;
  }

  async getEntity(entity: string): Promise<unknown> {
    this.assertConnected();
    this.world.resolveCalls.push(entity);
    const err = this.world.nextErrors.getEntity.shift();
    if (err) throw err;
    const ch = this.world.channels.get(entity.toLowerCase());
    // gramjs's own wording for USERNAME_NOT_OCCUPIED.
    if (!ch) throw new Error(`No user has "${entity}" as username`);
    return new Api.Channel({
      id: returnBigInt(ch.id),
      accessHash: returnBigInt(ch.accessHash),
      title: ch.username,
      username: ch.username,
      photo: new Api.ChatPhotoEmpty(),
      date: 0,
      broadcast: true,
    });
  }

  iterMessages(entity: unknown, params: Record<string, unknown>): AsyncIterable<unknown> {
    this.assertConnected();
    const peer = entity as Api.InputPeerChannel;
    if (!(peer instanceof Api.InputPeerChannel)) throw new Error('fake: expected an InputPeerChannel (the cached peer)');
    const ch = [...this.world.channels.values()].find((c) => c.id === peer.channelId.toString());
    if (!ch || ch.accessHash !== peer.accessHash.toString()) throw new errors.RPCError('CHANNEL_INVALID', new Api.messages.GetHistory({}), 400);
    this.world.iterCalls.push({ channelId: ch.id, params: { ...params } });
    const err = this.world.nextErrors.iterMessages.shift();
    const limit = typeof params.limit === 'number' ? params.limit : Infinity;
    const minId = typeof params.minId === 'number' ? params.minId : 0;
    const offsetId = typeof params.offsetId === 'number' && params.offsetId > 0 ? params.offsetId : Infinity;
    const reverse = params.reverse === true;
    return {
      async *[Symbol.asyncIterator]() {
        if (err) throw err;
        let list = ch.messages.filter((m) => !m.deleted && m.id > minId && m.id < offsetId).sort((a, b) => a.id - b.id);
        // gramjs: newest first unless reverse; limit counts from the start of that order.
        if (!reverse) list = list.reverse();
        for (const m of list.slice(0, limit)) yield toApiMessage(ch, m);
      },
    };
  }

  addEventHandler(callback: (event: unknown) => void, builder: unknown): void {
    this.handlers.push({ callback, builder });
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.connected = false;
    this.handlers = [];
  }

  emit(kind: 'new' | 'edit', ch: FakeChannelState, m: FakeMessage): void {
    if (!this.connected) return;
    for (const h of this.handlers) {
      const isEdit = h.builder instanceof EditedMessage;
      const isNew = h.builder instanceof NewMessage && !isEdit;
      if ((kind === 'edit' && isEdit) || (kind === 'new' && isNew)) h.callback({ message: toApiMessage(ch, m) });
    }
  }

  private assertConnected(): void {
    if (!this.connected) throw new Error('fake: not connected');
  }
}
