#!/usr/bin/env node
// `npm run manifest-nls`: moves every user-facing literal string of package.json (titles, view
// names, welcome contents, setting descriptions, walkthrough texts...) into package.nls.json as a
// %key% placeholder, with a key derived from the contribution's id. Idempotent: placeholders stay,
// existing keys keep their text. Run it after adding a command, view, setting or step;
// test/unit/l10n.test.ts fails while a literal is left.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (f) => JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8'));
const write = (f, v) => fs.writeFileSync(path.join(ROOT, f), `${JSON.stringify(v, null, 2)}\n`);
const m = read('package.json');
const nls = fs.existsSync(path.join(ROOT, 'package.nls.json')) ? read('package.nls.json') : {};
let moved = 0;

/** obj[field] becomes %key% (its text goes to package.nls.json) unless it already is one. */
function loc(obj, field, key) {
  const v = obj?.[field];
  if (typeof v !== 'string' || /^%[^%]+%$/.test(v)) return;
  if (key in nls && nls[key] !== v) throw new Error(`${key} already means "${nls[key]}", not "${v}"`);
  nls[key] = v;
  obj[field] = `%${key}%`;
  moved++;
}
const short = (id) => id.replace(/^claudeEvents\./, '');

loc(m, 'displayName', 'displayName');
loc(m, 'description', 'description');
loc(m.capabilities?.untrustedWorkspaces, 'description', 'capabilities.untrustedWorkspaces.description');
const c = m.contributes ?? {};
for (const cmd of c.commands ?? []) {
  loc(cmd, 'title', `command.${short(cmd.command)}.title`);
  loc(cmd, 'shortTitle', `command.${short(cmd.command)}.shortTitle`);
  loc(cmd, 'category', 'category');
}
for (const list of Object.values(c.viewsContainers ?? {})) for (const vc of list) loc(vc, 'title', `viewsContainer.${vc.id}.title`);
for (const list of Object.values(c.views ?? {})) for (const v of list) { loc(v, 'name', `view.${short(v.id)}.name`); loc(v, 'contextualTitle', `view.${short(v.id)}.contextualTitle`); }
const welcomeCount = {};
for (const w of c.viewsWelcome ?? []) {
  const base = `viewsWelcome.${short(w.view)}`;
  welcomeCount[base] = (welcomeCount[base] ?? 0) + 1;
  // Keys of welcome contents already converted are kept; new ones are numbered per view.
  loc(w, 'contents', `${base}.${welcomeCount[base]}`);
}
for (const cfg of [c.configuration].flat().filter(Boolean)) {
  loc(cfg, 'title', 'configuration.title');
  for (const [name, p] of Object.entries(cfg.properties ?? {})) {
    for (const f of ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage']) loc(p, f, `config.${short(name)}.${f}`);
    (p.enumDescriptions ?? []).forEach((_, i) => loc(p.enumDescriptions, i, `config.${short(name)}.enumDescriptions.${p.enum?.[i] ?? i}`));
    (p.markdownEnumDescriptions ?? []).forEach((_, i) => loc(p.markdownEnumDescriptions, i, `config.${short(name)}.markdownEnumDescriptions.${p.enum?.[i] ?? i}`));
  }
}
for (const w of c.walkthroughs ?? []) {
  loc(w, 'title', `walkthrough.${w.id}.title`);
  loc(w, 'description', `walkthrough.${w.id}.description`);
  for (const s of w.steps ?? []) {
    for (const f of ['title', 'description']) loc(s, f, `walkthrough.${w.id}.${s.id}.${f}`);
    loc(s.media, 'altText', `walkthrough.${w.id}.${s.id}.altText`);
  }
}
write('package.json', m);
write('package.nls.json', nls);
console.log(`package.nls.json: ${Object.keys(nls).length} strings (${moved} moved out of package.json now)`);
