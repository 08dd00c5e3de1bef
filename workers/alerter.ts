/** Entry point: the outbox publisher and webhook delivery (plus health endpoints). */
import { runEntryPoint } from './run.js';

await runEntryPoint(['alerts', 'http']);
