import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('manifest: Marketplace fields and the walkthrough', () => {
  it('has a 128×128 PNG icon, a gallery banner and no placeholder links', () => {
    const png = fs.readFileSync(path.join(root, manifest.icon));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
    assert.doesNotMatch(JSON.stringify(manifest), /example\.(invalid|com)/);
  });

  it('the walkthrough\'s five steps each have an existing image and completion events that name real ids', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.steps.length, 5);
    const commands = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
    const views = new Set(manifest.contributes.views.claudeEvents.map((v: { id: string }) => v.id));
    const constants = fs.readFileSync(path.join(root, 'src', 'constants.ts'), 'utf8');
    for (const step of walkthrough.steps) {
      assert.ok(fs.existsSync(path.join(root, step.media.image)), `${step.id}: ${step.media.image} exists`);
      assert.ok(step.completionEvents.length > 0, `${step.id} has a completion event`);
      for (const e of step.completionEvents as string[]) {
        const [kind, id] = e.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(commands.has(id), `${step.id}: ${id} is a declared command`);
        else if (kind === 'onView') assert.ok(views.has(id), `${step.id}: ${id} is a declared view`);
        else if (kind === 'onContext') assert.ok(constants.includes(`'${id}'`), `${step.id}: ${id} is a context key the extension sets`);
        else assert.fail(`${step.id}: unexpected completion event ${e}`);
      }
      for (const [, cmd] of String(step.description).matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(commands.has(cmd) || cmd.endsWith('.focus'), `${step.id}: its button runs ${cmd}`);
      }
    }
  });
});
