import * as crypto from 'node:crypto';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Localizer } from '../../l10n';
import type { FsPort } from '../store/fsPort';
import type { ManifestEntry } from '../requests/requestBuilder';
import { mapResult } from './mapResult';
import type { ResultState } from './mapResult';
import { INDEX_FILE, safeBatchDir, safeRelativeResultPath } from './resultPaths';
import { resultsIndexMarkdown, type IndexItem } from './resultsIndex';
import { entriesOfSnapshot, entryDir, LEDGER_FILE, LEDGER_SNAPSHOT_FILE, ledgerSnapshot, parseLedgerLines, type LedgerEntry } from './resultsLedger';

/** What index.md was last written from: lets a fetch that changed nothing skip rebuilding it. */
export const INDEX_STATE_FILE = '.index-state.json';

export interface FolderWriterOptions {
  /** Rooted at the results folder; the writer uses `<batchId>/…` under it. */
  fs: FsPort;
  batchId: string;
  /** custom_id → manifest entry; empty or absent for external batches (files named by custom_id). */
  manifest?: ReadonlyMap<string, ManifestEntry>;
  model?: string;
  /** Result files written at once (default 64). */
  concurrency?: number;
  /** Told every result's state, e.g. to remember it for the tree. */
  onResult?: (customId: string, state: ResultState) => void;
  /** Words the result files and the index (English by default). */
  l10n?: Localizer;
}

export interface WriteCounts {
  /** Files created or replaced. */
  written: number;
  /** Files already there with identical content. */
  unchanged: number;
  succeeded: number;
  errored: number;
  expired: number;
  canceled: number;
  /** True when index.md was (re)written. */
  indexWritten: boolean;
}

const LEDGER_FLUSH_LINES = 256;

interface IndexState {
  /** The ledger's size in bytes: it only grows, and the index is a function of its lines. */
  ledgerBytes: number;
  /** `indexInputs()`: the index code's fingerprint, the batch id and the model. */
  inputs: string;
  /** SHA-256 of index.md as written. */
  sha: string;
}

const sha256 = (data: Uint8Array): string =>
  // crypto.hash (Node 20.12+) skips the Hash object: measurable at 100,000 results.
  typeof crypto.hash === 'function' ? crypto.hash('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');

const formats = new Map<Localizer | undefined, string>();

/**
 * A fingerprint of what `mapResult` makes of a few canary lines (every state, markdown to
 * escape, backticks, a stop reason, cache tokens, with and without a manifest entry). A change to
 * the result documents changes it, so a refetch after such a change does not trust the ledger's
 * "already written" and compares contents again, as it did before the fast path.
 */
export function resultFormat(l10n?: Localizer): string {
  return fingerprint(formats, l10n, () => {
    const entry: ManifestEntry = { customId: 'c', uri: 'file:///w/a%20b/[x]_1.ts', relPath: 'a b/[x]_1.ts', bytes: 1, sha256: '' };
    const message = (stop: string) => ({
      id: 'msg_c', type: 'message', role: 'assistant', model: 'claude-x', stop_reason: stop, stop_sequence: null,
      content: [{ type: 'text', text: ' A `b` ``c`` *d* ', citations: null }, { type: 'tool_use', id: 't', name: 'n', input: {} }, { type: 'text', text: 'E', citations: null }],
      usage: { input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 3, cache_creation_input_tokens: 4 },
    });
    const lines = [
      { custom_id: 'c', result: { type: 'succeeded', message: message('end_turn') } },
      { custom_id: 'c', result: { type: 'succeeded', message: message('max_tokens') } },
      { custom_id: 'c', result: { type: 'succeeded', message: { ...message('end_turn'), content: [] } } },
      { custom_id: 'c', result: { type: 'errored', error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } } },
      { custom_id: 'c', result: { type: 'errored', error: {} } },
      { custom_id: 'c', result: { type: 'expired' } },
      { custom_id: 'c', result: { type: 'canceled' } },
      { custom_id: 'c', result: { type: 'other' } },
    ] as unknown as MessageBatchIndividualResponse[];
    // In the display language too: documents written in another language are written again.
    const docs = lines.flatMap((line) => [mapResult(line, entry, l10n), mapResult(line, undefined, l10n)].map((m) => `${m.title}\0${m.state}\0${m.markdown}`));
    return docs.join('\0');
  });
}

const indexFormats = new Map<Localizer | undefined, string>();

/** Like `resultFormat()`, for `resultsIndexMarkdown` in folder mode (in the display language too). */
function indexFingerprint(l10n?: Localizer): string {
  return fingerprint(indexFormats, l10n, () => {
    const items: IndexItem[] = [
      { customId: 'c1', state: 'succeeded', path: 'a b/[x]_1.ts.md', relPath: 'a b/[x]_1.ts' },
      { customId: 'c2', state: 'errored', path: 'B.ts.md', relPath: 'B.ts' },
      { customId: 'c 3', state: 'expired', path: '_by-id/c_3.md' },
      { customId: 'c4', state: 'canceled' },
    ];
    return resultsIndexMarkdown('b`1', items, { mode: 'folder', model: 'm', ...(l10n ? { l10n } : {}) });
  });
}

/** A short hash of what `render` makes of fixed canary inputs, computed once per display language. */
function fingerprint(cache: Map<Localizer | undefined, string>, l10n: Localizer | undefined, render: () => string): string {
  let known = cache.get(l10n);
  if (!known) cache.set(l10n, (known = sha256(Buffer.from(render(), 'utf8')).slice(0, 16)));
  return known;
}

/**
 * Writes a batch's results as `<batchId>/<relPath>.md` plus `<batchId>/index.md`.
 * Streaming: results are consumed one by one with a bounded number of writes in flight, and
 * only a small ledger entry per result is kept. Idempotent: a file whose content is already
 * there is not rewritten. Resumable: when the iterable throws part-way, everything written so
 * far is in the ledger, and the next fetch completes the folder without duplicates.
 */
export class FolderResultsWriter {
  private readonly dir: string;
  private readonly ledger = new Map<string, LedgerEntry>();
  /**
   * Lower-cased path → custom_id, so two results never share a file (case-insensitive FS).
   * Filled from the ledger on the first claim: a refetch that claims nothing never needs it.
   */
  private readonly pathOwners = new Map<string, string>();
  private ownersLoaded = false;
  private readonly madeDirs = new Set<string>();
  private pendingLedger: string[] = [];
  /** No ledger and an empty folder: nothing can be there, so skip the per-file existence read. */
  private fresh = false;
  private ledgerWrite: Promise<void> = Promise.resolve();
  /** The ledger's size once the appends of this fetch are done. */
  private ledgerBytes = 0;
  /** The ledger size the snapshot on disk was taken of (-1: none that is usable). */
  private snapshotBytes = -1;
  /**
   * Ledger entries whose file was there when the ledger was loaded, from one listing per folder
   * the ledger names: a refetch then checks presence in memory instead of one stat per result.
   * A set of entries, not of paths: a lookup then hashes no string.
   */
  private readonly present = new Set<LedgerEntry>();
  private readonly format: string;

  constructor(private readonly options: FolderWriterOptions) {
    this.dir = safeBatchDir(options.batchId);
    this.format = resultFormat(options.l10n);
  }

  /** Consumes `results` (e.g. `client.messages.batches.results(id)`) and writes the folder. */
  async write(results: AsyncIterable<MessageBatchIndividualResponse>): Promise<WriteCounts> {
    const counts: WriteCounts = { written: 0, unchanged: 0, succeeded: 0, errored: 0, expired: 0, canceled: 0, indexWritten: false };
    await this.mkdir(this.dir);
    await this.loadLedger();
    const seen = new Set<string>();
    let failure: unknown;
    const limit = this.options.concurrency ?? 64;
    // A counter, not Promise.race over the in-flight set: race re-subscribes to every pending
    // write on each result, which costs more than the writes themselves at 100,000 results.
    let running = 0;
    let wake: (() => void) | undefined;
    let idle: (() => void) | undefined;
    const settled = (): void => {
      running--;
      wake?.();
      wake = undefined;
      if (running === 0) idle?.();
    };
    try {
      for await (const line of results) {
        if (failure) break;
        if (seen.has(line.custom_id)) continue;
        seen.add(line.custom_id);
        if (this.alreadyWritten(line, counts)) continue;
        running++;
        this.writeOne(line, counts).then(settled, (err: unknown) => {
          failure ??= err;
          settled();
        });
        if (running >= limit) await new Promise<void>((r) => (wake = r));
      }
    } catch (err) {
      failure ??= err;
    }
    if (running > 0) await new Promise<void>((r) => (idle = r));
    // Whatever happened, finish what started (above) and record it, so the next fetch can resume.
    await this.flushLedger(true);
    if (failure) throw failure;
    await this.writeSnapshot();
    counts.indexWritten = await this.writeIndex();
    return counts;
  }

  /**
   * The refetch's fast path: the ledger says this result was written, in today's format and at
   * the path its manifest entry gives, and the file is still there. Then mapping and hashing it
   * again cannot change anything: a batch's results are final once it has ended (the only time
   * they can be downloaded), so the line for the same batch and custom_id is the same, the
   * manifest entry is the batch's own, and `resultFormat()` covers the mapping code. The slow
   * path would find the same hash and skip the file too (an edited file is the user's, as there).
   */
  private alreadyWritten(line: MessageBatchIndividualResponse, counts: WriteCounts): boolean {
    const known = this.ledger.get(line.custom_id);
    if (!known || known.fmt !== this.format || known.state !== line.result.type) return false;
    if (known.rel !== this.options.manifest?.get(line.custom_id)?.relPath) return false;
    if (!this.present.has(known)) return false;
    counts[known.state] = (counts[known.state] ?? 0) + 1;
    this.options.onResult?.(line.custom_id, known.state);
    counts.unchanged++;
    return true;
  }

  private async writeOne(line: MessageBatchIndividualResponse, counts: WriteCounts): Promise<void> {
    const entry = this.options.manifest?.get(line.custom_id);
    const mapped = mapResult(line, entry, this.options.l10n);
    counts[mapped.state] = (counts[mapped.state] ?? 0) + 1;
    this.options.onResult?.(mapped.customId, mapped.state);
    const data = Buffer.from(mapped.markdown, 'utf8');
    const sha = sha256(data);
    const known = this.ledger.get(line.custom_id);
    const rel = known?.path ?? this.claimPath(line.custom_id, mapped.relPath);
    const next: LedgerEntry = { id: line.custom_id, path: rel, sha, size: data.byteLength, state: mapped.state, rel: mapped.relPath, fmt: this.format };
    const target = `${this.dir}/${rel}`;
    // The ledger says this exact content was written, and the file is still there: nothing to do.
    // (A result file the user edited since is theirs; a deleted one is written again.)
    if (known && known.sha === sha && this.present.has(known)) {
      counts.unchanged++;
      return;
    }
    const existing = this.fresh && !known ? undefined : await this.options.fs.readFile(target);
    if (existing && Buffer.compare(Buffer.from(existing.buffer, existing.byteOffset, existing.byteLength), data) === 0) {
      counts.unchanged++;
    } else {
      const parent = parentOf(target);
      // Checked here, not only in mkdir(): an await even on a known folder costs a turn per result.
      if (!this.madeDirs.has(parent)) await this.mkdir(parent);
      // Not atomic on purpose (half the syscalls): the ledger line is appended only after the
      // write completes, so a torn file has no ledger line and is compared and rewritten next time.
      await this.options.fs.writeFile(target, data, { atomic: false });
      counts.written++;
    }
    this.ledger.set(next.id, next);
    this.pendingLedger.push(JSON.stringify(next));
    if (this.pendingLedger.length >= LEDGER_FLUSH_LINES) await this.flushLedger(false);
  }

  /** The result's path, or its custom_id fallback when another result already owns that path. */
  private claimPath(customId: string, relPath: string | undefined): string {
    if (!this.ownersLoaded) {
      for (const e of this.ledger.values()) this.pathOwners.set(e.path.toLowerCase(), e.id);
      this.ownersLoaded = true;
    }
    let path = safeRelativeResultPath(relPath, customId);
    let key = path.toLowerCase();
    const owner = this.pathOwners.get(key);
    if (owner !== undefined && owner !== customId) {
      path = safeRelativeResultPath(undefined, customId);
      key = path.toLowerCase();
    }
    this.pathOwners.set(key, customId);
    return path;
  }

  private async loadLedger(): Promise<void> {
    const ledgerFile = `${this.dir}/${LEDGER_FILE}`;
    const [size, snapshot] = await Promise.all([this.options.fs.stat(ledgerFile), this.options.fs.readFile(`${this.dir}/${LEDGER_SNAPSHOT_FILE}`)]);
    let entries = size ? entriesOfSnapshot(snapshot, size.size) : undefined;
    if (entries) {
      this.ledgerBytes = this.snapshotBytes = size!.size;
    } else {
      const data = size ? await this.options.fs.readFile(ledgerFile) : undefined;
      this.ledgerBytes = data?.byteLength ?? 0;
      if (!data) {
        this.fresh = (await this.options.fs.listDir(this.dir)).length === 0;
        return;
      }
      entries = parseLedgerLines(data);
    }
    for (const entry of entries) this.ledger.set(entry.id, entry);
    const byDir = new Map<string, { entries: LedgerEntry[]; names: string[] }>();
    for (const e of this.ledger.values()) {
      const { dir, name } = entryDir(e);
      const inDir = byDir.get(dir);
      if (inDir) {
        inDir.entries.push(e);
        inDir.names.push(name);
      } else byDir.set(dir, { entries: [e], names: [name] });
    }
    await Promise.all([...byDir].map(async ([d, inDir]) => {
      const there = new Set(await this.options.fs.listDir(d ? `${this.dir}/${d}` : this.dir));
      inDir.entries.forEach((e, i) => there.has(inDir.names[i] as string) && this.present.add(e));
    }));
  }

  /**
   * The ledger as columns, when this fetch appended to it: the next fetch then reads the
   * snapshot instead of parsing every line. Written after the ledger, atomically; a snapshot of
   * another ledger size (a crash before it, a ledger changed since) is ignored.
   */
  private async writeSnapshot(): Promise<void> {
    if (this.ledgerBytes === this.snapshotBytes || this.ledger.size === 0) return;
    await this.options.fs.writeFile(`${this.dir}/${LEDGER_SNAPSHOT_FILE}`, ledgerSnapshot(this.ledger.values(), this.ledgerBytes));
    this.snapshotBytes = this.ledgerBytes;
  }

  /** Appends buffered ledger lines; appends are chained so lines never interleave. */
  private flushLedger(final: boolean): Promise<void> {
    if (this.pendingLedger.length > 0) {
      const chunk = this.pendingLedger.join('\n') + '\n';
      this.pendingLedger = [];
      this.ledgerBytes += Buffer.byteLength(chunk, 'utf8');
      this.ledgerWrite = this.ledgerWrite.then(() => this.options.fs.appendFile(`${this.dir}/${LEDGER_FILE}`, chunk));
    }
    return final ? this.ledgerWrite : Promise.resolve();
  }

  /**
   * index.md from the ledger. Rebuilding it sorts every entry (100,000 for a large batch), so it
   * is skipped when the ledger and the inputs are those it was last written from and the file
   * still holds what was written then (one hash); an index edited or deleted is written again.
   */
  private async writeIndex(): Promise<boolean> {
    const target = `${this.dir}/${INDEX_FILE}`;
    const stateFile = `${this.dir}/${INDEX_STATE_FILE}`;
    const inputs = `${indexFingerprint(this.options.l10n)}\0${this.options.batchId}\0${this.options.model ?? ''}`;
    const [existing, stateData] = await Promise.all([this.options.fs.readFile(target), this.options.fs.readFile(stateFile)]);
    const state = parseIndexState(stateData);
    const existingSha = existing ? sha256(existing) : undefined;
    if (state && state.ledgerBytes === this.ledgerBytes && state.inputs === inputs && state.sha === existingSha) return false;
    const items: IndexItem[] = [];
    for (const e of this.ledger.values()) items.push({ customId: e.id, state: e.state, path: e.path, relPath: e.rel });
    const markdown = resultsIndexMarkdown(this.options.batchId, items, {
      mode: 'folder',
      ...(this.options.model ? { model: this.options.model } : {}),
      ...(this.options.l10n ? { l10n: this.options.l10n } : {}),
    });
    const data = Buffer.from(markdown, 'utf8');
    const sha = sha256(data);
    const written = sha !== existingSha;
    if (written) await this.options.fs.writeFile(target, data);
    // After index.md: a state that names an index not (yet) on disk only costs a rebuild.
    await this.options.fs.writeFile(stateFile, JSON.stringify({ ledgerBytes: this.ledgerBytes, inputs, sha } satisfies IndexState));
    return written;
  }

  private async mkdir(dir: string): Promise<void> {
    if (this.madeDirs.has(dir)) return;
    await this.options.fs.mkdir(dir);
    this.madeDirs.add(dir);
  }
}

function parseIndexState(data: Uint8Array | undefined): IndexState | undefined {
  if (!data) return undefined;
  try {
    const state = JSON.parse(Buffer.from(data).toString('utf8')) as Partial<IndexState>;
    return typeof state.ledgerBytes === 'number' && typeof state.inputs === 'string' && typeof state.sha === 'string' ? (state as IndexState) : undefined;
  } catch {
    return undefined;
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}
