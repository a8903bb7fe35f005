import { describe, expect, it } from 'vitest';
import { CancelledError, runWorkerJob } from '../../src/workers/worker-client';

/** Just enough of a Worker to drive the client: records what it is sent and whether it was stopped. */
class FakeWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  sent: unknown[] = [];
  terminated = false;
  postMessage(msg: unknown) {
    this.sent.push(msg);
  }
  terminate() {
    this.terminated = true;
  }
  reply(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
}

function start() {
  const fake = new FakeWorker();
  const partials: number[] = [];
  const job = runWorkerJob<string, string, number, { control: 'pause' }>(() => fake as unknown as Worker, 'go', [], {
    onPartial: (p) => partials.push(p),
  });
  return { fake, job, partials };
}

describe('worker jobs', () => {
  it('streams partials, then resolves with the result and stops the worker', async () => {
    const { fake, job, partials } = start();
    expect(fake.sent).toEqual(['go']);
    fake.reply({ type: 'partial', partial: 1 });
    fake.reply({ type: 'partial', partial: 2 });
    fake.reply({ type: 'result', result: 'done' });
    await expect(job.promise).resolves.toBe('done');
    expect(partials).toEqual([1, 2]);
    expect(fake.terminated).toBe(true);
  });

  it('cancel stops the worker at once and drops anything it sends later', async () => {
    const { fake, job, partials } = start();
    fake.reply({ type: 'partial', partial: 1 });
    job.cancel();
    expect(fake.terminated).toBe(true);
    fake.reply({ type: 'partial', partial: 2 });
    fake.reply({ type: 'result', result: 'late' });
    await expect(job.promise).rejects.toBeInstanceOf(CancelledError);
    expect(partials).toEqual([1]);
    job.control({ control: 'pause' });
    expect(fake.sent).toEqual(['go']);
  });

  it('a worker error rejects with its message', async () => {
    const { fake, job } = start();
    job.control({ control: 'pause' });
    expect(fake.sent).toEqual(['go', { control: 'pause' }]);
    fake.reply({ type: 'error', message: 'tensors.tsv line 3: bad' });
    await expect(job.promise).rejects.toThrow('tensors.tsv line 3: bad');
  });
});
