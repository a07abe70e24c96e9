import type { FsPort } from './fsPort';
import { FINDING_SEVERITIES } from '../requests/kinds';
import type { BatchFindings, FileFindings, PlacedFinding } from '../findings/findings';

const DIR = 'findings';

interface FindingsFile extends BatchFindings {
  v: 1;
}

/**
 * Review findings kept until cleared, so they survive a reload: one JSON file per batch under
 * the batch storage, replaced atomically. Findings are stored placed (clamped to the file when
 * the results were read), so restoring them reads no workspace file.
 */
export class FindingsStore {
  constructor(
    private readonly fs: FsPort,
    private readonly onWarning: (message: string) => void = () => undefined,
    /** After a put or remove: the batch feature keeps its start flag from it. */
    private readonly onChange: () => void = () => undefined,
  ) {}

  async put(findings: BatchFindings): Promise<void> {
    const file: FindingsFile = { v: 1, batchId: findings.batchId, source: findings.source, files: findings.files };
    await this.fs.mkdir(DIR);
    await this.fs.writeFile(pathOf(findings.batchId), JSON.stringify(file));
    this.onChange();
  }

  /** A batch's findings, or undefined when none are kept (or the file is unreadable). */
  async get(batchId: string): Promise<BatchFindings | undefined> {
    return this.read(pathOf(batchId));
  }

  /** Every kept batch's findings (a torn or foreign file is skipped with a warning). */
  async all(): Promise<BatchFindings[]> {
    const out: BatchFindings[] = [];
    for (const name of (await this.fs.listDir(DIR)).filter((n) => n.endsWith('.json')).sort()) {
      const found = await this.read(`${DIR}/${name}`);
      if (found) out.push(found);
    }
    return out;
  }

  async remove(batchId: string): Promise<void> {
    await this.fs.deleteFile(pathOf(batchId));
    this.onChange();
  }

  private async read(path: string): Promise<BatchFindings | undefined> {
    const data = await this.fs.readFile(path);
    if (!data) return undefined;
    try {
      const file = JSON.parse(Buffer.from(data).toString('utf8')) as unknown;
      if (isFindingsFile(file)) return { batchId: file.batchId, source: file.source, files: file.files };
    } catch {
      // Reported below.
    }
    this.onWarning(`Ignoring unreadable findings file ${path}`);
    return undefined;
  }
}

function pathOf(batchId: string): string {
  return `${DIR}/${batchId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLine = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function isFinding(v: unknown): v is PlacedFinding {
  return isObject(v) && isLine(v.startLine) && isLine(v.endLine) && isLine(v.endCharacter) && typeof v.message === 'string' &&
    (FINDING_SEVERITIES as readonly unknown[]).includes(v.severity) && (v.replacement === undefined || typeof v.replacement === 'string');
}

function isFileFindings(v: unknown): v is FileFindings {
  return isObject(v) && typeof v.uri === 'string' && typeof v.relPath === 'string' && typeof v.customId === 'string' &&
    Array.isArray(v.findings) && v.findings.every(isFinding);
}

function isFindingsFile(v: unknown): v is FindingsFile {
  return isObject(v) && v.v === 1 && typeof v.batchId === 'string' && typeof v.source === 'string' && Array.isArray(v.files) && v.files.every(isFileFindings);
}
