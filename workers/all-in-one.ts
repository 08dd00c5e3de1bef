/** Entry point: every role in one process (the default deployment). */
import { runEntryPoint } from './run.js';

await runEntryPoint(['listener', 'extract', 'alerts', 'http']);
