/**
 * The shape of `vscode.l10n`, for pure modules: they word what the user sees through a
 * `Localizer` passed in (host modules pass `vscode.l10n` itself) instead of importing vscode.
 * The parameter is named `l10n`, so their calls read like the host's and `npm run l10n` finds
 * their strings; the first argument must be a string literal there too.
 */
export interface Localizer {
  t(message: string, ...args: Array<string | number | boolean>): string;
}

/**
 * English, the default of every pure module: what `vscode.l10n.t` gives with no bundle loaded,
 * the message itself with `{0}`, `{1}`… replaced by the arguments (other braces stay as they are).
 */
export const english: Localizer = {
  t: (message, ...args) =>
    args.length === 0 ? message : message.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole)),
};
