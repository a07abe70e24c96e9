import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import vscode = require('vscode');
import type { StreamParams } from '../../stream/promptBuilder';
import { ResponseSession } from '../../stream/responseSession';
import { inCompletionOrder } from '../pool';
import type { BatchRequestParams, BuildResult } from '../requests/requestBuilder';
import { newRunId } from '../results/resultCache';
import type { BatchKind } from '../requests/kinds';
import type { BatchContext } from './context';
import { showEditReview } from './review';
import { presentFindings } from '../findings/reviewResults';
import { resultStateText } from '../tree/labels';
import { countResults, presentResults } from './results';

/**
 * "Run now": the batch's requests streamed at full price through the job queue, each as a
 * `ResponseSession` (the code Ask uses: same queue, same continuation of broken streams, same
 * idle timeout), and each result shown as its session finishes (documents open as they arrive,
 * the index at the end). Results take the batch results' shape, so one presenter serves both.
 */
export async function runNow(ctx: BatchContext, built: BuildResult, instruction: string, kind: BatchKind = 'answer'): Promise<{ total: number }> {
  const { api, queue, log } = ctx.services;
  const settings = ctx.services.settings();
  const runId = newRunId();
  const manifest = new Map(built.manifest.map((m) => [m.customId, m]));
  await ctx.cache.pruneRuns().catch((err: unknown) => log.warn(`Could not prune old run results: ${String(err)}`));
  let total = 0;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Claude: running {0} requests now', built.requests.length), cancellable: true },
    async (progress, token) => {
      const sessions = built.requests.map((req) => new ResponseSession({
        id: `${runId}-${req.custom_id}`,
        title: vscode.l10n.t('Batch file {0}', manifest.get(req.custom_id)?.relPath ?? req.custom_id),
        params: req.params as StreamParams,
        queue,
        getClient: () => api.getClient(),
        maxTurns: 1,
        autoContinue: settings.autoContinue ? 2 : 0,
        idleTimeoutMs: api.settings().timeoutMs,
        errorContext: () => ({ baseUrl: api.baseUrl().url, model: req.params.model, secrets: api.knownSecrets() }),
      }));
      token.onCancellationRequested(() => sessions.forEach((s) => s.cancel()));
      const lines = sessions.map(async (session, i) => {
        const req = built.requests[i] as BatchRequestParams;
        const state = await session.start();
        session.dispose();
        return asResultLine(req.custom_id, session, state, token.isCancellationRequested);
      });
      const finished = countResults(inCompletionOrder(lines), (n, line) => {
        total = n;
        const file = manifest.get(line.custom_id)?.relPath ?? line.custom_id;
        const state = line.result.type === 'succeeded' ? '' : ` (${resultStateText(line.result.type, vscode.l10n)})`;
        progress.report({ message: `${n}/${sessions.length} · ${file}${state}`, increment: 100 / sessions.length });
      });
      if (kind === 'review') {
        await presentFindings(ctx, { id: runId, instruction, total: sessions.length, manifest, lines: finished });
      } else if (kind === 'edit') {
        // Proposals, not documents: the same review as an edit batch's, keyed by the run's id.
        await showEditReview(ctx, runId, await ctx.reviews.build(runId, finished, manifest));
      } else {
        await presentResults(ctx, runId, finished, manifest, settings['batch.resultsLocation'], api.settings().model);
      }
    },
  );
  log.info(`Ran ${total} requests now as ${runId} (${instruction.slice(0, 40)}…)`);
  return { total };
}

/** A finished session as a line of batch results (the shape the presenters take). */
function asResultLine(customId: string, session: ResponseSession, state: string, cancelled: boolean): MessageBatchIndividualResponse {
  if (state === 'complete') {
    const usage = session.usage;
    const message = {
      id: session.requestId ?? customId,
      type: 'message',
      role: 'assistant',
      model: session.model,
      content: [{ type: 'text', text: session.text, citations: null }],
      stop_reason: session.stopReason,
      stop_sequence: null,
      usage: { ...usage, server_tool_use: null, service_tier: null },
    } as unknown as Message;
    return { custom_id: customId, result: { type: 'succeeded', message } };
  }
  if (state === 'cancelled' || cancelled) return { custom_id: customId, result: { type: 'canceled' } };
  const error = session.error;
  return {
    custom_id: customId,
    result: { type: 'errored', error: { type: 'error', error: { type: error?.kind ?? 'api_error', message: error?.message ?? vscode.l10n.t('The request failed.') } } as never },
  };
}
