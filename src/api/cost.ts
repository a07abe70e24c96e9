// Price estimates for the footer and the batch confirmation. Estimates only: the invoice is the truth.

/** USD per million tokens. Cache write is the 5-minute TTL price (1.25x input), cache read 0.1x input. */
export interface Price {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

/** Token counts, in the API's snake_case usage shape; missing or null counts are zero. */
export interface UsageLike {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

const price = (input: number, output: number): Price => ({
  input,
  output,
  cacheWrite: input * 1.25,
  cacheRead: input / 10,
});

/**
 * Per line, newest generation first: the first entry whose `from` version (major*100+minor) is
 * <= the model's version applies. 5.x prices are not published in our sources; we assume each line keeps the
 * price of its latest 4.x generation (Opus 5/25, Sonnet 3/15, Haiku 1/5). Lines without a known
 * price (e.g. fable, mythos) have no entry, so their cost is `undefined` rather than a guess.
 */
const PRICE_TABLE: Record<string, ReadonlyArray<{ from: number; price: Price }>> = {
  opus: [
    { from: 405, price: price(5, 25) },
    { from: 0, price: price(15, 75) },
  ],
  sonnet: [{ from: 0, price: price(3, 15) }],
  haiku: [
    { from: 405, price: price(1, 5) },
    { from: 305, price: price(0.8, 4) },
    { from: 0, price: price(0.25, 1.25) },
  ],
};

/**
 * `claude-opus-4-5-20251101` → { line: 'opus', major: 4, minor: 5, version: 405 }; also the old
 * `claude-3-5-sonnet-…` order. `version` is major*100+minor so that 4-10 sorts after 4-9.
 */
export function parseModelId(model: string): { line: string; major: number; minor: number; version: number } | undefined {
  const id = model.trim().toLowerCase();
  // Newer ids: claude-<line>-<major>[-<minor>][-<date>|-latest]
  let m = /^claude-([a-z]+)-(\d{1,2})(?:-(\d{1,2}))?(?:-\d{8}|-latest)?$/.exec(id);
  if (m) return versioned(m[1], m[2], m[3]);
  // Older ids: claude-<major>[-<minor>]-<line>[-<date>|-latest]
  m = /^claude-(\d{1,2})(?:-(\d{1,2}))?-([a-z]+)(?:-\d{8}|-latest)?$/.exec(id);
  if (m) return versioned(m[3], m[1], m[2]);
  return undefined;
}

function versioned(line: string, major: string, minor: string | undefined) {
  const mj = Number(major);
  const mn = minor ? Number(minor) : 0;
  return { line, major: mj, minor: mn, version: mj * 100 + mn };
}

/** The price for a model id, or `undefined` when unknown. */
export function priceFor(model: string): Price | undefined {
  const parsed = parseModelId(model);
  if (!parsed) return undefined;
  return PRICE_TABLE[parsed.line]?.find((p) => parsed.version >= p.from)?.price;
}

/**
 * Estimated cost in USD of one request's usage, or `undefined` when the model's price is unknown.
 * `batch` halves every component (Message Batches are 50% off and stack with caching).
 */
export function estimateCost(usage: UsageLike, model: string, options: { batch?: boolean } = {}): number | undefined {
  const p = priceFor(model);
  if (!p) return undefined;
  const n = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const usd =
    (n(usage.input_tokens) * p.input +
      n(usage.output_tokens) * p.output +
      n(usage.cache_creation_input_tokens) * p.cacheWrite +
      n(usage.cache_read_input_tokens) * p.cacheRead) /
    1_000_000;
  return options.batch ? usd / 2 : usd;
}

/** `$0.0123`, `$1.23`, `<$0.0001`; small amounts keep significant digits because they are the common case. */
export function formatCost(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return '';
  if (usd === 0) return '$0.00';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 1) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}
