import vscode = require('vscode');
import { combineGlobs, enabledPatterns } from '../requests/globs';
import { mapPool } from '../pool';
import type { CandidateFile } from '../requests/requestBuilder';

export const DEFAULT_BATCH_GLOB = '**/*.{ts,js,md,py}';

/**
 * The files a submission covers: the chosen files and the files under chosen folders, or the
 * glob's matches; `batch.exclude` and `files.exclude` apply to folders and globs. Sorted by path.
 */
export async function collectCandidates(
  uris: vscode.Uri[] | undefined,
  glob: string | undefined,
  excludeSetting: readonly string[],
  token: vscode.CancellationToken,
): Promise<CandidateFile[]> {
  const exclude = combineGlobs([
    ...excludeSetting,
    ...enabledPatterns(vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude')),
  ]);
  const found = new Map<string, vscode.Uri>();
  if (uris) {
    for (const uri of uris) {
      let stat: vscode.FileStat | undefined;
      try {
        stat = await vscode.workspace.fs.stat(uri);
      } catch {
        stat = undefined;
      }
      if (stat && stat.type & vscode.FileType.Directory) {
        for (const f of await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), exclude, undefined, token)) found.set(f.toString(), f);
      } else {
        // An explicitly chosen file is taken as is; a vanished one is skipped with its reason.
        found.set(uri.toString(), uri);
      }
    }
  } else {
    for (const f of await vscode.workspace.findFiles(glob || DEFAULT_BATCH_GLOB, exclude, undefined, token)) found.set(f.toString(), f);
  }
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const list = [...found.values()];
  const sized = await mapPool(list, 32, async (uri) => {
    let size = 0;
    try {
      size = (await vscode.workspace.fs.stat(uri)).size;
    } catch {
      // Reading it will report why.
    }
    return { uri: uri.toString(), relPath: vscode.workspace.asRelativePath(uri, multiRoot), size };
  });
  return sized.sort((a, b) => a.relPath.localeCompare(b.relPath));
}

export async function readWorkspaceFile(uri: string, token?: vscode.CancellationToken): Promise<Uint8Array> {
  if (token?.isCancellationRequested) throw new Error('Cancelled');
  return vscode.workspace.fs.readFile(vscode.Uri.parse(uri));
}
