/**
 * Removes secrets from text before it reaches a log, an error message or a webview.
 * Known keys are replaced verbatim; anything shaped like an Anthropic key is masked too,
 * so a key from another source (a pasted header, an echoing proxy) cannot slip through.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 8) out = out.split(s).join('[redacted]');
  }
  return out.replace(/sk-ant-[A-Za-z0-9_-]{6,}/g, 'sk-ant-[redacted]');
}
