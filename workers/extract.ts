/** Entry point: the extract worker (plus health endpoints); scale it by running more. */
import { runEntryPoint } from './run.js';

await runEntryPoint(['extract', 'http']);
