import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { english, type Localizer } from '../../l10n';
import type { ManifestEntry } from '../requests/requestBuilder';
import { parseReviewResult } from '../results/structuredResults';
import { placeFinding, type FailedReview, type FileFindings } from './findings';

export interface CollectDeps {
  manifest: ReadonlyMap<string, ManifestEntry>;
  /** True when the manifest entry's URI is inside the workspace. */
  inWorkspace(uri: string): boolean;
  /** The file's current line lengths (to place findings), or undefined when it cannot be read. */
  lineLengths(uri: string): Promise<readonly number[] | undefined>;
  /** Words the failure reasons (English by default). */
  l10n?: Localizer;
}

export interface Collected {
  /** Files with at least one finding. */
  files: FileFindings[];
  failed: FailedReview[];
  /** Results read (each custom_id once). */
  results: number;
}

/**
 * Streams a review batch's results into findings per file, holding only the findings: each
 * result is parsed and placed as it passes. A result is refused (listed as failed, with why)
 * when the manifest has no file for it, when its file is outside the workspace, when it did not
 * succeed or does not parse, or when its file can no longer be read.
 */
export async function collectFindings(
  source: AsyncIterable<MessageBatchIndividualResponse>,
  deps: CollectDeps,
  onResult?: (count: number) => void,
): Promise<Collected> {
  const l10n = deps.l10n ?? english;
  const files: FileFindings[] = [];
  const failed: FailedReview[] = [];
  const seen = new Set<string>();
  for await (const line of source) {
    // A resumed download may repeat lines: each result counts once.
    if (seen.has(line.custom_id)) continue;
    seen.add(line.custom_id);
    onResult?.(seen.size);
    const entry = deps.manifest.get(line.custom_id);
    const parsed = parseReviewResult(line, l10n);
    const raw = parsed.ok ? '' : parsed.raw;
    if (!entry) {
      failed.push({ customId: line.custom_id, reason: l10n.t('refused: the batch manifest names no file for this result'), raw, refused: true });
      continue;
    }
    const base = { customId: line.custom_id, relPath: entry.relPath };
    if (!deps.inWorkspace(entry.uri) || entry.relPath.split(/[\\/]/).includes('..')) {
      failed.push({ ...base, reason: l10n.t('refused: {0} is outside the workspace', entry.relPath), raw, refused: true });
      continue;
    }
    if (!parsed.ok) {
      failed.push({ ...base, reason: parsed.reason, raw: parsed.raw, ...(refusedByModel(line) ? { refused: true as const } : {}) });
      continue;
    }
    if (parsed.value.length === 0) continue;
    const lengths = await deps.lineLengths(entry.uri);
    if (!lengths) {
      failed.push({ ...base, reason: l10n.t('{0} can no longer be read (deleted or moved?)', entry.relPath), raw: '' });
      continue;
    }
    files.push({ uri: entry.uri, relPath: entry.relPath, customId: line.custom_id, findings: parsed.value.map((f) => placeFinding(f, lengths)) });
  }
  return { files, failed, results: seen.size };
}

/** The model declined to answer (`stop_reason` refusal): logged like the results refused here. */
function refusedByModel(line: MessageBatchIndividualResponse): boolean {
  return line.result.type === 'succeeded' && line.result.message.stop_reason === 'refusal';
}
