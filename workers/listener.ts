/** Entry point: the channel listener (plus health endpoints); run one. */
import { runEntryPoint } from './run.js';

await runEntryPoint(['listener', 'http']);
