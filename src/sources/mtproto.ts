/**
 * The `mtproto` source: a user session through the gateway (src/sources/telegram-client.ts).
 * Each username is resolved once and its id + access hash cached in the store, because username
 * resolution is flood-limited far more strictly than reading history.
 */
import type { Logger } from '../logger.js';
import { getPeer, savePeer } from '../store/channels.js';
import type { Sql } from '../store/db.js';
import type { TelegramGateway, TgMessage, TgPeer } from './telegram-client.js';
import type { Source, SourcePost } from './types.js';

export interface MtprotoSource extends Source {
  readonly name: 'mtproto';
  /** Calls back with the channel username on a live new/edited message (a hint to poll early). */
  onActivity(listener: (channel: string, kind: 'new' | 'edit') => void): void;
}

export function createMtprotoSource(options: { gateway: TelegramGateway; db: Sql; logger: Logger }): MtprotoSource {
  const { gateway, db, logger } = options;
  const peers = new Map<string, TgPeer>();
  const channelByPeerId = new Map<string, string>();
  let connected: Promise<void> | undefined;
  let closed = false;

  const ready = () => {
    // A failed connect is retried on the next read, not remembered forever.
    connected ??= gateway.connect().catch((err: unknown) => {
      connected = undefined;
      throw err;
    });
    return connected;
  };

  async function peerOf(channel: string): Promise<TgPeer> {
    await ready();
    let peer = peers.get(channel) ?? (await getPeer(db, channel));
    if (!peer) {
      peer = await gateway.resolveChannel(channel);
      await savePeer(db, channel, peer);
      logger.info({ channel, peerId: peer.id }, 'resolved channel username (cached in the store)');
    }
    peers.set(channel, peer);
    channelByPeerId.set(peer.id, channel);
    return peer;
  }

  function toPost(channel: string, m: TgMessage): SourcePost {
    const post: SourcePost = {
      id: `${channel}/${m.id}`,
      channel,
      messageId: m.id,
      date: new Date(m.date * 1000).toISOString(),
      text: m.text,
    };
    if (m.editDate) {
      post.editDate = new Date(m.editDate * 1000).toISOString();
      post.edited = true;
    }
    if (m.views !== undefined) post.views = m.views;
    if (m.forwardedFrom) post.forwardedFrom = m.forwardedFrom;
    if (m.groupedId) post.groupedId = m.groupedId;
    return post;
  }

  const posts = (channel: string, messages: TgMessage[]) =>
    messages
      .filter((m) => !m.service)
      .map((m) => toPost(channel, m))
      .sort((a, b) => a.messageId - b.messageId);

  return {
    name: 'mtproto',
    async readNewer(channel, afterId, limit) {
      const peer = await peerOf(channel);
      return posts(channel, await gateway.history(peer, { minId: afterId, reverse: true, limit }));
    },
    async readLatest(channel, limit) {
      const peer = await peerOf(channel);
      return posts(channel, await gateway.history(peer, { limit }));
    },
    async readOlder(channel, beforeId, limit) {
      const peer = await peerOf(channel);
      return posts(channel, await gateway.history(peer, { offsetId: beforeId, limit }));
    },
    onActivity(listener) {
      gateway.onActivity(({ peerId, kind }) => {
        const channel = channelByPeerId.get(peerId);
        if (channel && !closed) listener(channel, kind);
      });
    },
    async close() {
      closed = true;
      await gateway.destroy();
    },
  };
}
