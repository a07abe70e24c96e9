// The building blocks of the protocol's type guards (src/protocol.ts): exact key sets and value
// types, so junk and look-alikes are rejected. Browser-safe: no vscode, no SDK.

export type Check = (v: unknown) => boolean;

export const isStr: Check = (v) => typeof v === 'string';
export const isBool: Check = (v) => typeof v === 'boolean';
export const isNum: Check = (v) => typeof v === 'number' && Number.isFinite(v);
export const isIndex: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
export const arrayOf = (c: Check): Check => (v) => Array.isArray(v) && v.every(c);

/** Plain objects only: structured clones are plain, so anything with another prototype is suspect. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** True when `v` is a plain object whose keys are exactly `required` plus any of `optional`, each passing its check. */
export function shape(v: unknown, required: Record<string, Check>, optional: Record<string, Check> = {}): boolean {
  if (!isRecord(v)) return false;
  for (const key of Object.keys(v)) {
    if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) return false;
  }
  for (const [key, check] of Object.entries(required)) {
    if (!Object.hasOwn(v, key) || !check(v[key])) return false;
  }
  for (const [key, check] of Object.entries(optional)) {
    if (Object.hasOwn(v, key) && v[key] !== undefined && !check(v[key])) return false;
  }
  return true;
}

export const lit = (value: string): Check => (v) => v === value;
export const obj = (required: Record<string, Check>, optional?: Record<string, Check>): Check =>
  (v) => shape(v, required, optional);

