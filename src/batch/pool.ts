/**
 * Runs `fn` over `items` with at most `limit` calls in flight and returns the results in input
 * order. Bounded so that 100,000 files do not open 100,000 handles at once.
 */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return out;
}

/**
 * Yields the values of `promises` in the order they settle (not input order), so that work can
 * be shown as each piece finishes. Only the settled-but-not-yet-consumed values are held. A
 * rejection is thrown from the iteration when its turn comes.
 */
export async function* inCompletionOrder<T>(promises: readonly Promise<T>[]): AsyncGenerator<T> {
  const settled: ({ ok: true; value: T } | { ok: false; error: unknown })[] = [];
  let wake: (() => void) | undefined;
  const push = (entry: (typeof settled)[number]) => {
    settled.push(entry);
    wake?.();
    wake = undefined;
  };
  for (const p of promises) p.then((value) => push({ ok: true, value }), (error: unknown) => push({ ok: false, error }));
  let head = 0;
  for (let n = 0; n < promises.length; n++) {
    while (head >= settled.length) await new Promise<void>((resolve) => (wake = resolve));
    const entry = settled[head]!;
    settled[head++] = undefined as never;
    if (!entry.ok) throw entry.error;
    yield entry.value;
  }
}
