import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { english } from '../../src/l10n';

const root = path.resolve(__dirname, '../../..');
const readJson = (f: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8'));

/** The same extraction as scripts/l10n.mjs (which writes the bundle): literal first arguments. */
const CALL = /\bl10n\.t\(\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")/g;
const unescape = (s: string) => s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'webview' ? [] : sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('localization', () => {
  const files = sources(path.join(root, 'src'));
  const used = new Set(files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(CALL)].map((m) => unescape(m[1] ?? m[2]))));

  it('every vscode.l10n.t string is in l10n/bundle.l10n.json, and the bundle has no stale ones (npm run l10n)', () => {
    const bundle = readJson('l10n/bundle.l10n.json');
    assert.ok(used.size > 20, `found only ${used.size} l10n.t calls`);
    assert.deepEqual([...used].filter((k) => !(k in bundle)), [], 'missing from the bundle');
    assert.deepEqual(Object.keys(bundle).filter((k) => !used.has(k)), [], 'in the bundle but not used');
    for (const [k, v] of Object.entries(bundle)) assert.equal(v, k, 'the English bundle maps each string to itself');
  });

  it('l10n.t is only ever called with a literal first argument (else the bundle cannot know it)', () => {
    const dynamic = files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/\bl10n\.t\(\s*([^'"\s])/g)].map(() => path.relative(root, f)));
    assert.deepEqual(dynamic, []);
  });

  it('placeholders {0}, {1}… are numbered from 0 without gaps', () => {
    for (const k of used) {
      const n = [...k.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1]));
      const max = n.length ? Math.max(...n) : -1;
      for (let i = 0; i <= max; i++) assert.ok(n.includes(i), `"${k}" lacks {${i}}`);
    }
  });

  it('pure modules default to English: the message with its placeholders filled, as vscode.l10n.t without a bundle', () => {
    assert.equal(english.t('{0}/{1} succeeded', 3, 5), '3/5 succeeded');
    assert.equal(english.t('{1} before {0}, {0} again', 'a', 'b'), 'b before a, a again');
    assert.equal(english.t('no {0} here'), 'no {0} here', 'without arguments the message is left as it is');
    assert.equal(english.t('{0} and {1} and {x}', true, ''), 'true and  and {x}', 'missing and named placeholders stay');
  });

  it('every %key% in package.json is in package.nls.json, and every entry there is used', () => {
    const manifest = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const nls = readJson('package.nls.json');
    const keys = new Set([...manifest.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]));
    assert.ok(keys.size > 50);
    assert.deepEqual([...keys].filter((k) => !(k in nls)), [], 'placeholders without a string');
    assert.deepEqual(Object.keys(nls).filter((k) => !keys.has(k)), [], 'strings no placeholder uses');
  });

  it('no user-facing manifest field is left as a literal string', () => {
    const m = readJson('package.json') as any;
    const literal: string[] = [];
    const check = (where: string, v: unknown) => { if (typeof v === 'string' && !/^%[^%]+%$/.test(v)) literal.push(`${where}: ${v}`); };
    check('displayName', m.displayName);
    check('description', m.description);
    const c = m.contributes;
    for (const x of c.commands) { check(x.command, x.title); check(`${x.command} category`, x.category); }
    for (const x of c.viewsContainers.activitybar) check(x.id, x.title);
    for (const x of c.views.claudeEvents) check(x.id, x.name);
    for (const x of c.viewsWelcome) check(`welcome ${x.view}`, x.contents);
    check('configuration.title', c.configuration.title);
    for (const [k, p] of Object.entries<any>(c.configuration.properties)) {
      check(k, p.description);
      check(k, p.markdownDescription);
      for (const d of p.enumDescriptions ?? []) check(k, d);
    }
    for (const w of c.walkthroughs) {
      check(w.id, w.title);
      check(w.id, w.description);
      for (const s of w.steps) { check(s.id, s.title); check(s.id, s.description); check(s.id, s.media.altText); }
    }
    assert.deepEqual(literal, []);
  });
});
