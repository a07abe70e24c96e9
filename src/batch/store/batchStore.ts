import { randomUUID } from 'node:crypto';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import type { BatchKind } from '../requests/kinds';
import type { BatchRequestParams, ManifestEntry } from '../requests/requestBuilder';
import type { FsPort } from './fsPort';
import { HEADS, ManifestFiles, MANIFESTS, type ManifestPage } from './manifestFiles';
import { externalLocalId, snapshotOf, totalRequests, type BatchRecord } from './records';
import { matchPending, ORPHAN_AFTER_MS } from './reconcile';
import { parseRequestsJsonl, requestsJsonl } from './requestsCodec';


export interface SubmissionInput {
  model: string;
  instruction: string;
  requests: readonly BatchRequestParams[];
  /** Aligned with `requests`. */
  manifest: readonly ManifestEntry[];
  parentBatchId?: string;
  /** Absent means `answer` (records written before kinds existed read the same way). */
  kind?: BatchKind;
  /** Keep the params as sent so a retry resends exactly them (default true). */
  keepRequests?: boolean;
}

export interface ReconcileOptions {
  /** Track API batches we did not create (default true). */
  trackExternal?: boolean;
}

export interface ReconcileReport {
  /** Pending records matched to a batch the API had created. */
  adopted: BatchRecord[];
  /** Pending records with no batch after `ORPHAN_AFTER_MS`: the create never happened. */
  dropped: BatchRecord[];
  /** Batches made elsewhere, now tracked. */
  external: BatchRecord[];
  /** Tracked batches whose status changed. */
  updated: BatchRecord[];
}

export interface StoreDeps {
  now?: () => Date;
  newId?: () => string;
  /** Called for records that cannot be parsed (skipped, never fatal). */
  onWarning?: (message: string) => void;
}


const RECORDS = 'records';
const REQUESTS = 'requests';


/**
 * Persistent record of the batches this extension knows about, over an `FsPort` rooted at
 * the extension's global storage. One file per record, replaced atomically, so a crash
 * mid-write or two windows writing at once can only ever lose the newer of two writes, never
 * corrupt the store. Records are written *before* `batches.create` is called (write-ahead);
 * `reconcile` settles the ones whose outcome was never recorded.
 */
export class BatchStore {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly warn: (message: string) => void;
  /** Submissions this instance is creating right now: never dropped as orphans. */
  private readonly inFlight = new Map<string, BatchRecord>();
  private readonly manifests: ManifestFiles;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly fs: FsPort,
    deps: StoreDeps = {},
  ) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
    this.warn = deps.onWarning ?? (() => undefined);
    this.manifests = new ManifestFiles(fs);
  }

  /**
   * Writes the manifest, the params as sent and then the record (state `pending-create`), in
   * that order, so a record never points at a missing manifest. Call before `batches.create`.
   */
  async beginSubmission(input: SubmissionInput): Promise<BatchRecord> {
    if (input.requests.length !== input.manifest.length) {
      throw new Error('requests and manifest must be aligned');
    }
    await this.ensureDirs();
    const localId = this.newId();
    const manifestFile = await this.manifests.write(localId, input.manifest);
    let requestsFile: string | undefined;
    if (input.keepRequests !== false) {
      requestsFile = `${REQUESTS}/${localId}.jsonl`;
      await this.fs.writeFile(requestsFile, requestsJsonl(input.requests));
    }
    const record: BatchRecord = {
      localId,
      state: 'pending-create',
      createdAt: this.now().toISOString(),
      model: input.model,
      instruction: input.instruction,
      requestCount: input.requests.length,
      manifestFile,
      ...(requestsFile ? { requestsFile } : {}),
      ...(input.parentBatchId ? { parentBatchId: input.parentBatchId } : {}),
      ...(input.kind && input.kind !== 'answer' ? { kind: input.kind } : {}),
      origin: 'local',
    };
    this.inFlight.set(localId, record);
    await this.writeRecord(record);
    return record;
  }

  /** Records the id `batches.create` returned. Idempotent; replaces an external twin. */
  async markCreated(localId: string, batch: MessageBatch): Promise<BatchRecord> {
    const current = (await this.readRecord(localId)) ?? this.inFlight.get(localId);
    if (!current) throw new Error(`No batch record ${localId}`);
    const record: BatchRecord = {
      ...current,
      state: 'created',
      batchId: batch.id,
      apiCreatedAt: batch.created_at,
      lastKnown: snapshotOf(batch),
      updatedAt: this.now().toISOString(),
    };
    await this.writeRecord(record);
    this.inFlight.delete(localId);
    // Another window may have tracked it as external in the meantime; ours has the manifest.
    const twin = externalLocalId(batch.id);
    if (twin !== localId) await this.fs.deleteFile(recordPath(twin));
    return record;
  }

  /**
   * The create call failed: forget the submission entirely, so the tree never shows a batch
   * that does not exist. `reason` is only for the caller's log.
   */
  async markCreateFailed(localId: string, _reason?: string): Promise<void> {
    const record = (await this.readRecord(localId)) ?? this.inFlight.get(localId);
    this.inFlight.delete(localId);
    if (record) await this.deleteRecordFiles(record);
    else await this.fs.deleteFile(recordPath(localId));
  }

  /** Stores the latest API view of a tracked batch; returns the record, or undefined if untracked. */
  async update(batchId: string, batch: MessageBatch): Promise<BatchRecord | undefined> {
    const record = await this.get(batchId);
    if (!record) return undefined;
    return (await this.refresh(record, batch)) ?? record;
  }

  /** Every record, newest first, at most one per batch id. */
  async list(): Promise<BatchRecord[]> {
    const names = await this.fs.listDir(RECORDS);
    const records = await Promise.all(
      names.filter((n) => n.endsWith('.json')).map((n) => this.readRecord(n.slice(0, -'.json'.length))),
    );
    const byBatch = new Map<string, BatchRecord>();
    const out: BatchRecord[] = [];
    for (const record of records) {
      if (!record) continue;
      if (!record.batchId) {
        out.push(record);
        continue;
      }
      const seen = byBatch.get(record.batchId);
      if (!seen || preferRecord(record, seen)) byBatch.set(record.batchId, record);
    }
    out.push(...byBatch.values());
    return out.sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
  }

  async get(batchId: string): Promise<BatchRecord | undefined> {
    return (await this.list()).find((r) => r.batchId === batchId);
  }

  async getByLocalId(localId: string): Promise<BatchRecord | undefined> {
    return this.readRecord(localId);
  }

  /** Forgets a batch: its record, manifest and stored params. */
  async remove(batchId: string): Promise<boolean> {
    const names = await this.fs.listDir(RECORDS);
    let removed = false;
    for (const name of names) {
      const record = await this.readRecord(name.replace(/\.json$/, ''));
      if (record?.batchId === batchId) {
        await this.deleteRecordFiles(record);
        removed = true;
      }
    }
    return removed;
  }

  /** `limit` manifest entries from `offset` (see ManifestFiles.page). */
  manifestPage(record: BatchRecord, offset: number, limit: number): Promise<ManifestPage> {
    return this.manifests.page(record, offset, limit);
  }

  /** The whole manifest. */
  async readManifest(record: BatchRecord): Promise<ManifestEntry[]> {
    return (await this.manifestPage(record, 0, Number.MAX_SAFE_INTEGER)).entries;
  }

  /** custom_id → manifest entry, for mapping results (empty map for external batches). */
  async manifestLookup(record: BatchRecord): Promise<Map<string, ManifestEntry>> {
    const map = new Map<string, ManifestEntry>();
    for (const entry of await this.readManifest(record)) map.set(entry.customId, entry);
    return map;
  }

  /**
   * The params exactly as sent, for the given custom_ids (all when omitted), in sending order.
   * `undefined` when they were not kept.
   */
  async readRequests(
    record: BatchRecord,
    customIds?: ReadonlySet<string>,
  ): Promise<BatchRequestParams[] | undefined> {
    if (!record.requestsFile) return undefined;
    const data = await this.fs.readFile(record.requestsFile);
    return data ? parseRequestsJsonl(data, customIds) : undefined;
  }

  /**
   * Settles the store against `batches.list()` (newest first):
   * - a pending record with no id adopts the untracked API batch created within
   *   [createdAt - 2 min, createdAt + 10 min] with the same request count (closest pairs first);
   * - a pending record older than 10 min with no match is dropped (the create never happened);
   * - untracked, unarchived API batches are tracked once as `external`;
   * - tracked batches get their latest status.
   * Idempotent: running it twice, or from a fresh store over the same directory, changes nothing more.
   */
  async reconcile(
    batches: AsyncIterable<MessageBatch>,
    options: ReconcileOptions = {},
  ): Promise<ReconcileReport> {
    const report: ReconcileReport = { adopted: [], dropped: [], external: [], updated: [] };
    const records = await this.list();
    const tracked = new Map<string, BatchRecord>();
    for (const r of records) if (r.batchId) tracked.set(r.batchId, r);
    const untracked: MessageBatch[] = [];
    for await (const batch of batches) {
      const record = tracked.get(batch.id);
      if (record) {
        const changed = await this.refresh(record, batch);
        if (changed) report.updated.push(changed);
      } else if (!untracked.some((b) => b.id === batch.id)) {
        untracked.push(batch);
      }
    }

    const claimed = new Set<string>();
    const pending = records
      .filter((r) => r.state === 'pending-create' && !r.batchId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const matches = matchPending(pending, untracked);
    const now = this.now().getTime();
    for (const record of pending) {
      const match = matches.get(record.localId);
      if (match) {
        claimed.add(match.id);
        report.adopted.push(await this.markCreated(record.localId, match));
      } else if (now - Date.parse(record.createdAt) > ORPHAN_AFTER_MS && !this.inFlight.has(record.localId)) {
        await this.deleteRecordFiles(record);
        report.dropped.push(record);
      }
    }

    if (options.trackExternal !== false) {
      for (const batch of untracked) {
        if (claimed.has(batch.id) || batch.archived_at) continue;
        report.external.push(await this.trackExternal(batch));
      }
    }
    return report;
  }

  /** Deletes manifests and params files no record refers to (left by a crash mid-submission). */
  async collectGarbage(): Promise<number> {
    const records = await Promise.all(
      (await this.fs.listDir(RECORDS)).map((n) => this.readRecord(n.replace(/\.json$/, ''))),
    );
    const live = new Set<string>();
    for (const r of records) {
      for (const p of r ? this.manifests.pathsOf(r) : []) live.add(p);
      if (r?.requestsFile) live.add(r.requestsFile);
    }
    for (const r of this.inFlight.values()) {
      for (const p of this.manifests.pathsOf(r)) live.add(p);
      if (r.requestsFile) live.add(r.requestsFile);
    }
    let removed = 0;
    for (const dir of [MANIFESTS, HEADS, REQUESTS]) {
      for (const name of await this.fs.listDir(dir)) {
        const path = `${dir}/${name}`;
        if (live.has(path)) continue;
        await this.fs.deleteFile(path);
        removed++;
      }
    }
    return removed;
  }

  private async trackExternal(batch: MessageBatch): Promise<BatchRecord> {
    // Named after the batch id so two windows tracking it write the same file.
    const record: BatchRecord = {
      localId: externalLocalId(batch.id),
      state: 'created',
      batchId: batch.id,
      createdAt: batch.created_at,
      apiCreatedAt: batch.created_at,
      model: '',
      instruction: '',
      requestCount: totalRequests(batch.request_counts),
      origin: 'external',
      lastKnown: snapshotOf(batch),
      updatedAt: this.now().toISOString(),
    };
    await this.ensureDirs();
    await this.writeRecord(record);
    return record;
  }

  /** Writes the new snapshot if it differs; returns the new record, or undefined if unchanged. */
  private async refresh(record: BatchRecord, batch: MessageBatch): Promise<BatchRecord | undefined> {
    const snapshot = snapshotOf(batch);
    if (record.lastKnown && JSON.stringify(record.lastKnown) === JSON.stringify(snapshot)) return undefined;
    const next: BatchRecord = { ...record, lastKnown: snapshot, updatedAt: this.now().toISOString() };
    await this.writeRecord(next);
    return next;
  }

  private async readRecord(localId: string): Promise<BatchRecord | undefined> {
    const data = await this.fs.readFile(recordPath(localId));
    if (!data) return undefined;
    try {
      const record = JSON.parse(Buffer.from(data).toString('utf8')) as BatchRecord;
      if (typeof record.localId !== 'string' || typeof record.state !== 'string') throw new Error('not a record');
      return record;
    } catch (err) {
      this.warn(`Ignoring unreadable batch record ${localId}: ${(err as Error).message}`);
      return undefined;
    }
  }

  private async writeRecord(record: BatchRecord): Promise<void> {
    await this.fs.writeFile(recordPath(record.localId), JSON.stringify(record, null, 1));
  }

  private async deleteRecordFiles(record: BatchRecord): Promise<void> {
    // Record first: a crash after it leaves only garbage, never a record without its manifest.
    await this.fs.deleteFile(recordPath(record.localId));
    await this.manifests.delete(record);
    if (record.requestsFile) await this.fs.deleteFile(record.requestsFile);
  }

  private ensureDirs(): Promise<void> {
    this.ready ??= (async () => {
      for (const dir of [RECORDS, MANIFESTS, HEADS, REQUESTS]) await this.fs.mkdir(dir);
    })();
    return this.ready;
  }
}

function preferRecord(a: BatchRecord, b: BatchRecord): boolean {
  if (a.origin !== b.origin) return a.origin === 'local';
  return (a.updatedAt ?? '') > (b.updatedAt ?? '');
}

function sortKey(r: BatchRecord): string {
  return r.apiCreatedAt ?? r.createdAt;
}

function recordPath(localId: string): string {
  return `${RECORDS}/${localId}.json`;
}
