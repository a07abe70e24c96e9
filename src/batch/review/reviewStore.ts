import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { english, type Localizer } from '../../l10n';
import type { ManifestEntry } from '../requests/requestBuilder';
import { safeBatchDir } from '../results/resultPaths';
import { parseEditResult, type FileEdit } from '../results/structuredResults';
import type { FsPort } from '../store/fsPort';

/** One file of an edit batch's review. */
export interface ReviewEntry {
  customId: string;
  /** From the manifest; the custom_id when the batch has none (then it cannot be applied). */
  relPath: string;
  /** The workspace file (URI string); absent without a manifest. */
  uri?: string;
  /** SHA-256 of the file as submitted: a different hash on disk is a conflict. */
  sha256?: string;
  /** `proposed`: edits to review; `unchanged`: Claude proposed none; `failed`: see `reason`. */
  state: 'proposed' | 'unchanged' | 'failed';
  summary?: string;
  edits?: FileEdit[];
  reason?: string;
  /** The raw answer of a failed result, shown so the user sees what came back. */
  raw?: string;
}

export type Decision = 'accepted' | 'rejected';

export interface ReviewMeta {
  batchId: string;
  total: number;
  pages: number;
  counts: Record<ReviewEntry['state'], number>;
  /** custom_ids of failed results, for Retry Failed. */
  failedIds: string[];
}

/** Entries per page file: the review view shows a page at a time and never loads them all. */
export const REVIEW_PAGE_SIZE = 200;
const DIR = 'reviews';

/**
 * The review of an edit batch, on disk: results are parsed once as they stream from the API and
 * written in pages of 200, so showing the first page of a 10,000-file review reads two small
 * files, and the user's decisions (accepted/rejected) are kept apart in one small file that
 * survives reloads.
 */
export class ReviewStore {
  /** `l10n` words the reasons of failed entries, which are stored with them. */
  constructor(
    private readonly fs: FsPort,
    private readonly l10n: Localizer = english,
  ) {}

  /** Parses and stores every result line; replaces an earlier review of the same batch. */
  async build(
    batchId: string,
    lines: AsyncIterable<MessageBatchIndividualResponse>,
    manifest: ReadonlyMap<string, ManifestEntry>,
  ): Promise<ReviewMeta> {
    const dir = dirOf(batchId);
    await this.fs.mkdir(dir);
    const meta: ReviewMeta = { batchId, total: 0, pages: 0, counts: { proposed: 0, unchanged: 0, failed: 0 }, failedIds: [] };
    let page: ReviewEntry[] = [];
    const flush = async () => {
      if (page.length === 0) return;
      await this.fs.writeFile(`${dir}/page-${meta.pages}.json`, JSON.stringify(page));
      meta.pages++;
      page = [];
    };
    for await (const line of lines) {
      const entry = toEntry(line, manifest.get(line.custom_id), this.l10n);
      meta.total++;
      meta.counts[entry.state]++;
      if (entry.state === 'failed') meta.failedIds.push(entry.customId);
      page.push(entry);
      if (page.length >= REVIEW_PAGE_SIZE) await flush();
    }
    await flush();
    // Written last: a review without meta is incomplete and is built again.
    await this.fs.writeFile(`${dir}/meta.json`, JSON.stringify(meta));
    return meta;
  }

  async meta(batchId: string): Promise<ReviewMeta | undefined> {
    return readJson<ReviewMeta>(this.fs, `${dirOf(batchId)}/meta.json`);
  }

  async page(batchId: string, index: number): Promise<ReviewEntry[]> {
    return (await readJson<ReviewEntry[]>(this.fs, `${dirOf(batchId)}/page-${index}.json`)) ?? [];
  }

  /** One entry, found by scanning pages (only Accept/Reject by id from outside the tree need it). */
  async entry(batchId: string, customId: string): Promise<ReviewEntry | undefined> {
    const meta = await this.meta(batchId);
    for (let i = 0; i < (meta?.pages ?? 0); i++) {
      const found = (await this.page(batchId, i)).find((e) => e.customId === customId);
      if (found) return found;
    }
    return undefined;
  }

  async decisions(batchId: string): Promise<Record<string, Decision>> {
    return (await readJson<Record<string, Decision>>(this.fs, `${dirOf(batchId)}/decisions.json`)) ?? {};
  }

  async decide(batchId: string, decisions: Readonly<Record<string, Decision>>): Promise<void> {
    const current = await this.decisions(batchId);
    await this.fs.writeFile(`${dirOf(batchId)}/decisions.json`, JSON.stringify({ ...current, ...decisions }));
  }

  async remove(batchId: string): Promise<void> {
    if (this.fs.removeDir) await this.fs.removeDir(dirOf(batchId));
  }
}

/** A result line as a review entry. */
export function toEntry(line: MessageBatchIndividualResponse, manifest: ManifestEntry | undefined, l10n: Localizer = english): ReviewEntry {
  const base = {
    customId: line.custom_id,
    relPath: manifest?.relPath ?? line.custom_id,
    ...(manifest ? { uri: manifest.uri, sha256: manifest.sha256 } : {}),
  };
  if (!manifest) return { ...base, state: 'failed', reason: l10n.t('the batch has no manifest here, so the file is unknown') };
  const parsed = parseEditResult(line, l10n);
  if (!parsed.ok) return { ...base, state: 'failed', reason: parsed.reason, raw: parsed.raw };
  const { summary, edits } = parsed.value;
  return edits.length === 0 ? { ...base, state: 'unchanged', summary } : { ...base, state: 'proposed', summary, edits };
}

function dirOf(batchId: string): string {
  return `${DIR}/${safeBatchDir(batchId)}`;
}

async function readJson<T>(fs: FsPort, path: string): Promise<T | undefined> {
  const data = await fs.readFile(path);
  if (!data) return undefined;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
