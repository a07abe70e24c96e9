/**
 * The file access the batch core needs, rooted at a directory chosen by the host
 * (the extension's global storage for the store, the results folder for the writer).
 * Paths are relative to that root and `/`-separated; adapters must refuse paths that
 * leave the root.
 */
export interface FsPort {
  /** The whole file, or `undefined` when it does not exist. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /**
   * Atomic replace (write a temporary file, then rename): readers never see half a file.
   * `{ atomic: false }` allows a plain write where the caller can detect a torn file itself.
   */
  writeFile(path: string, data: string | Uint8Array, options?: { atomic?: boolean }): Promise<void>;
  /** Append (creating the file); used for append-only ledgers, so a torn last line is tolerated. */
  appendFile(path: string, data: string | Uint8Array): Promise<void>;
  /** Delete a file; a missing file is not an error. */
  deleteFile(path: string): Promise<void>;
  /** Delete a directory and everything in it; a missing directory is not an error. Optional. */
  removeDir?(path: string): Promise<void>;
  /** Entry names in a directory; `[]` when it does not exist. */
  listDir(path: string): Promise<string[]>;
  /** Create a directory and its parents; an existing directory is not an error. */
  mkdir(path: string): Promise<void>;
  /** Size of a file, or `undefined` when it does not exist. */
  stat(path: string): Promise<{ size: number } | undefined>;
}

/** Reads a workspace file by the host's opaque id (a URI string). Throws when it cannot. */
export type ReadFilePort = (uri: string) => Promise<Uint8Array>;

/** Error codes (Node's and VS Code's `FileSystemError.code`) that mean "the file is gone". */
const NOT_FOUND_CODES = new Set(['ENOENT', 'FileNotFound', 'EntryNotFound']);

/** True when an error thrown by a port means the file does not exist. */
export function isNotFoundError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NOT_FOUND_CODES.has(code)) return true;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' && /EntryNotFound|FileNotFound/.test(name);
}
