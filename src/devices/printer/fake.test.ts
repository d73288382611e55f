import { describe, expect, it } from 'vitest';
import { createFakePrinter } from './fake.js';
import { queueTicket } from './templates/queue-ticket.js';
import { sampleQueueTicket } from './templates/fixtures.js';

describe('fake printer (for consumers’ unit tests)', () => {
  it('prints when ready, refuses on paper out, can be scripted to interrupt', async () => {
    const fake = createFakePrinter();
    const doc = queueTicket(sampleQueueTicket());
    const statuses: string[] = [];
    fake.onStatus((r) => statuses.push(r.status));
    expect(await fake.print(doc)).toMatchObject({ kind: 'printed' });
    fake.setStatus('paper-out');
    expect(await fake.print(doc)).toMatchObject({ kind: 'refused', status: { status: 'paper-out' } });
    fake.setStatus('ready');
    fake.failNextPrint({
      kind: 'interrupted',
      cause: 'transport',
      bytesSent: 10,
      bytesTotal: 100,
      detail: 'cable pulled',
      status: null,
    });
    expect(await fake.print(doc)).toMatchObject({ kind: 'interrupted' });
    expect(await fake.print(doc)).toMatchObject({ kind: 'printed' });
    expect(fake.printed()).toHaveLength(2);
    fake.setUnreachable(true);
    expect(await fake.status()).toMatchObject({ source: 'unreachable', status: 'offline' });
    expect(statuses).toContain('paper-out');
  });
});
