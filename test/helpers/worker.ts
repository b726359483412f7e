/** Running code in a worker_thread, for the context-awareness and teardown suites. */
import { Worker } from 'node:worker_threads';

/**
 * A worker running `source` (CommonJS, with `workerData` given). With `tsx`, the TypeScript hook
 * is registered first: workers do not inherit mocha's, and lib/ is TypeScript.
 */
export function startWorker(
  source: string,
  workerData?: unknown,
  { tsx = false }: { tsx?: boolean } = {},
): Worker {
  return new Worker(tsx ? `require('tsx/cjs'); ${source}` : source, { eval: true, workerData });
}

/** The last message `worker` posted, once it exits with code 0. */
export function workerResult(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let message: unknown;
    worker.on('message', (value: unknown) => {
      message = value;
    });
    worker.on('error', reject);
    worker.on('exit', (code) =>
      code === 0 ? resolve(message) : reject(new Error(`exit ${code}`)),
    );
  });
}

/** The first message `worker` posts (or its first error, as a rejection). */
export function firstMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
