// Fence languages (what models write after ```) to VS Code language ids. Pure.

const ALIASES: Readonly<Record<string, string>> = {
  ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript',
  py: 'python', python3: 'python', sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', shell: 'shellscript',
  rb: 'ruby', rs: 'rust', yml: 'yaml', md: 'markdown', cs: 'csharp', 'c#': 'csharp', kt: 'kotlin', golang: 'go',
  ps1: 'powershell', dockerfile: 'dockerfile', text: 'plaintext', txt: 'plaintext', plain: 'plaintext',
};

/** The VS Code language id for a fence language, if `known` has it (else plain text). */
export function languageIdFor(fence: string | undefined, known: readonly string[]): string {
  const lower = (fence ?? '').trim().toLowerCase();
  if (!lower) return 'plaintext';
  const id = ALIASES[lower] ?? lower;
  return known.includes(id) ? id : 'plaintext';
}
