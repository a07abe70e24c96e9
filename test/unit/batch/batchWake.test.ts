import * as assert from 'node:assert/strict';
import { isInFlight, startsAtActivation } from '../../../src/batch/batchWake';
import type { BatchRecord } from '../../../src/batch/store/records';

describe('batch/batchWake: whether activation loads the batch feature', () => {
  it('follows the flag once written, without looking at the disk', () => {
    let looked = 0;
    const disk = () => (looked++, true);
    assert.equal(startsAtActivation(false, disk), false);
    assert.equal(startsAtActivation(true, disk), true);
    assert.equal(looked, 0);
  });

  it('without a flag (first start, or an update), starts only when batch storage exists', () => {
    assert.equal(startsAtActivation(undefined, () => false), false);
    assert.equal(startsAtActivation(undefined, () => true), true);
    assert.equal(startsAtActivation('yes', () => false), false, 'a foreign value counts as no flag');
  });

  it('a batch is in flight while it is being created, in progress or canceling; not once ended', () => {
    const rec = (state: string, status?: string) => ({ state, ...(status ? { lastKnown: { processing_status: status } } : {}) }) as unknown as BatchRecord;
    assert.ok(isInFlight(rec('pending-create')));
    assert.ok(isInFlight(rec('created', 'in_progress')));
    assert.ok(isInFlight(rec('created', 'canceling')));
    assert.ok(!isInFlight(rec('created', 'ended')));
  });
});
