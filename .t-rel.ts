import { extractPost } from './src/extract/index.js';
const text = 'A DRONE HI'.repeat(400);
for (let i = 0; i < 40; i++) extractPost({ id: 'a/1', channel: 'a', messageId: 1, date: '2026-11-20', lang: 'en', text });
