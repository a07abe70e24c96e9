import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { ReviewStore } from '../../src/batch/review/reviewStore';
import { nodeFsPort } from '../../src/batch/store/nodeFs';
import { manifestFor, type Row } from './batch';

/**
 * The first page of an edit review of 10,000 cached results, from a cold store (a reload): what
 * the Batch Edits view reads before it can show anything (meta, page 0, decisions).
 */
export async function benchReviewFirstPage(count = 10_000): Promise<Row[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ce-bench-review-'));
  try {
    const manifest = new Map(manifestFor(count).map((m) => [m.customId, m]));
    const edit = JSON.stringify({ summary: 'Added a header comment.', edits: [{ old_text: 'export function handler(', new_text: '// Header\nexport function handler(' }] });
    async function* lines(): AsyncGenerator<MessageBatchIndividualResponse> {
      for (const customId of manifest.keys()) {
        yield { custom_id: customId, result: { type: 'succeeded', message: { content: [{ type: 'text', text: edit }], stop_reason: 'end_turn', model: 'm', usage: { input_tokens: 1, output_tokens: 1 } } as never } };
      }
    }
    await new ReviewStore(nodeFsPort(dir)).build('msgbatch_bench', lines(), manifest);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const cold = new ReviewStore(nodeFsPort(dir));
      const t = performance.now();
      const meta = await cold.meta('msgbatch_bench');
      const page = await cold.page('msgbatch_bench', 0);
      await cold.decisions('msgbatch_bench');
      times.push(performance.now() - t);
      if (meta?.total !== count || page.length === 0) throw new Error('short review');
    }
    times.sort((a, b) => a - b);
    const ms = times[3] as number;
    return [{ name: `review 1: first page of the review of ${count} cached edit results, cold store`, value: `${ms.toFixed(1)} ms`, target: '≤ 100 ms', ok: ms <= 100 }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
