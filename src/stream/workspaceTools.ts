import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Tool } from '@anthropic-ai/sdk/resources/messages';

/**
 * Read-only tools Claude may call during Ask: list files, read a file, search text. Every path
 * is resolved inside one of the workspace folders; `..`, absolute paths and symlinks that lead
 * outside are refused. Pure Node (no `vscode`): the host passes the folder paths in.
 */

export interface WorkspaceRoot {
  name: string;
  path: string;
}

export interface ToolLimits {
  maxReadBytes: number;
  maxListEntries: number;
  maxSearchResults: number;
  maxSearchFiles: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxReadBytes: 100_000,
  maxListEntries: 500,
  maxSearchResults: 100,
  maxSearchFiles: 5_000,
};

const SKIP_DIRS = new Set(['.git', 'node_modules', '.vscode-test', 'dist', 'out']);

export const WORKSPACE_TOOLS: Tool[] = [
  {
    name: 'list_files',
    description: 'List files and folders in the open workspace. Paths are relative to the workspace root.',
    input_schema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Folder relative to the workspace root; "" or "." for the root.' },
        recursive: { type: 'boolean', description: 'List the whole subtree (bounded).' },
      },
    },
  },
  {
    name: 'read_file',
    description: 'Read a UTF-8 text file from the open workspace. Large files are truncated.',
    input_schema: {
      type: 'object',
      properties: { path: { type: 'string', description: 'File path relative to the workspace root.' } },
      required: ['path'],
    },
  },
  {
    name: 'search_text',
    description: 'Search the text files of the open workspace for a literal string (case-insensitive). Returns path:line: text.',
    input_schema: {
      type: 'object',
      properties: {
        query: { type: 'string' },
        path: { type: 'string', description: 'Optional folder to search in, relative to the workspace root.' },
      },
      required: ['query'],
    },
  },
];

export const WORKSPACE_TOOL_NAMES = new Set(WORKSPACE_TOOLS.map((t) => t.name));

export interface ToolOutcome {
  content: string;
  isError: boolean;
}

export const UNTRUSTED_TOOLS_NOTE =
  'Workspace tools are off: this workspace is not trusted. Trust it (Manage Workspace Trust) to let Claude read its files.';

/**
 * Whether Ask gets the workspace tools. `tools.workspace` is a restricted setting
 * (package.json `capabilities.untrustedWorkspaces`), and even when a user setting turns it on,
 * an untrusted workspace gets no tools and the panel says why.
 */
export function workspaceToolPolicy(input: { wanted: boolean; trusted: boolean }): { workspaceTools: boolean; notes: string[] } {
  if (!input.wanted) return { workspaceTools: false, notes: [] };
  if (!input.trusted) return { workspaceTools: false, notes: [UNTRUSTED_TOOLS_NOTE] };
  return { workspaceTools: true, notes: [] };
}

export class ToolRefusedError extends Error {}

export class WorkspaceToolRunner {
  constructor(
    private readonly roots: readonly WorkspaceRoot[],
    private readonly limits: ToolLimits = DEFAULT_TOOL_LIMITS,
  ) {}

  /** Runs one tool call; refusals and failures come back as error results, never as throws. */
  async run(name: string, input: unknown): Promise<ToolOutcome> {
    try {
      const args = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
      switch (name) {
        case 'list_files':
          return ok(await this.listFiles(str(args.path) ?? '', args.recursive === true));
        case 'read_file':
          return ok(await this.readFile(required(str(args.path), 'path')));
        case 'search_text':
          return ok(await this.searchText(required(str(args.query), 'query'), str(args.path) ?? ''));
        default:
          return { content: `Unknown tool: ${name}`, isError: true };
      }
    } catch (e) {
      return { content: e instanceof Error ? e.message : String(e), isError: true };
    }
  }

  /** Resolves a user/model-supplied path to a real path inside a workspace root, or throws. */
  async resolve(relPath: string): Promise<{ abs: string; root: WorkspaceRoot; rel: string }> {
    if (!this.roots.length) throw new ToolRefusedError('No workspace folder is open.');
    if (relPath.includes('\0')) throw new ToolRefusedError('Refused: invalid path.');
    if (path.isAbsolute(relPath) || /^[a-zA-Z]:[\\/]/.test(relPath) || relPath.startsWith('\\')) {
      throw new ToolRefusedError(`Refused: "${relPath}" is an absolute path; use a path relative to the workspace.`);
    }
    let root = this.roots[0];
    let rest = relPath.replace(/\\/g, '/');
    // In a multi-root workspace a path may start with the folder's name.
    const first = rest.split('/')[0];
    const named = this.roots.find((r) => r.name === first);
    if (named && this.roots.length > 1) {
      root = named;
      rest = rest.slice(first.length + 1);
    }
    const rootReal = await fs.realpath(root.path);
    const abs = path.resolve(rootReal, rest || '.');
    if (!inside(rootReal, abs)) throw new ToolRefusedError(`Refused: "${relPath}" is outside the workspace.`);
    let real: string;
    try {
      real = await fs.realpath(abs);
    } catch {
      throw new Error(`Not found: ${relPath}`);
    }
    if (!inside(rootReal, real)) throw new ToolRefusedError(`Refused: "${relPath}" leads outside the workspace (symbolic link).`);
    return { abs: real, root, rel: path.relative(rootReal, real).split(path.sep).join('/') };
  }

  private async readFile(relPath: string): Promise<string> {
    const { abs, rel } = await this.resolve(relPath);
    const stat = await fs.stat(abs);
    if (stat.isDirectory()) throw new Error(`${rel} is a folder; use list_files.`);
    const handle = await fs.open(abs, 'r');
    try {
      const len = Math.min(stat.size, this.limits.maxReadBytes);
      const buf = Buffer.alloc(len);
      await handle.read(buf, 0, len, 0);
      if (looksBinary(buf)) throw new Error(`${rel} is a binary file.`);
      // Never cut a UTF-8 character in half: drop a partial sequence at the end.
      let text = new TextDecoder('utf-8').decode(trimPartialUtf8(buf));
      if (stat.size > len) text += `\n\n[truncated: showing the first ${len} of ${stat.size} bytes]`;
      return text;
    } finally {
      await handle.close();
    }
  }

  private async listFiles(relPath: string, recursive: boolean): Promise<string> {
    const { abs, rel } = await this.resolve(relPath);
    const out: string[] = [];
    let truncated = false;
    const walk = async (dir: string, prefix: string): Promise<void> => {
      const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      for (const e of entries) {
        if (out.length >= this.limits.maxListEntries) {
          truncated = true;
          return;
        }
        const name = prefix ? `${prefix}/${e.name}` : e.name;
        if (e.isDirectory()) {
          out.push(`${name}/`);
          if (recursive && !SKIP_DIRS.has(e.name)) await walk(path.join(dir, e.name), name);
        } else if (!e.isSymbolicLink()) out.push(name);
      }
    };
    await walk(abs, rel === '' ? '' : rel);
    if (truncated) out.push(`[truncated after ${this.limits.maxListEntries} entries]`);
    return out.length ? out.join('\n') : '(empty folder)';
  }

  private async searchText(query: string, relPath: string): Promise<string> {
    if (!query.trim()) throw new Error('The query is empty.');
    const { abs, rel } = await this.resolve(relPath);
    const needle = query.toLowerCase();
    const results: string[] = [];
    let files = 0;
    const walk = async (dir: string, prefix: string): Promise<void> => {
      for (const e of await fs.readdir(dir, { withFileTypes: true })) {
        if (results.length >= this.limits.maxSearchResults || files >= this.limits.maxSearchFiles) return;
        const name = prefix ? `${prefix}/${e.name}` : e.name;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) await walk(p, name);
        } else if (e.isFile()) {
          files++;
          const stat = await fs.stat(p);
          if (stat.size > this.limits.maxReadBytes * 10) continue;
          const buf = await fs.readFile(p);
          if (looksBinary(buf.subarray(0, 8192))) continue;
          const lines = buf.toString('utf8').split('\n');
          for (let i = 0; i < lines.length && results.length < this.limits.maxSearchResults; i++) {
            if (lines[i].toLowerCase().includes(needle)) results.push(`${name}:${i + 1}: ${lines[i].trim().slice(0, 200)}`);
          }
        }
      }
    };
    await walk(abs, rel);
    if (!results.length) return `No matches for "${query}".`;
    if (results.length >= this.limits.maxSearchResults) results.push(`[stopped after ${this.limits.maxSearchResults} matches]`);
    return results.join('\n');
  }
}

function inside(root: string, p: string): boolean {
  const r = path.relative(root, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

function looksBinary(buf: Uint8Array): boolean {
  return buf.subarray(0, 8192).includes(0);
}

function trimPartialUtf8(buf: Buffer): Buffer {
  let end = buf.length;
  let i = end - 1;
  let cont = 0;
  while (i >= 0 && (buf[i] & 0xc0) === 0x80 && cont < 3) {
    i--;
    cont++;
  }
  if (i >= 0) {
    const lead = buf[i];
    const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
    if (need > cont) end = i;
  }
  return buf.subarray(0, end);
}

function ok(content: string): ToolOutcome {
  return { content, isError: false };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function required(v: string | undefined, name: string): string {
  if (v === undefined) throw new Error(`Missing "${name}".`);
  return v;
}
