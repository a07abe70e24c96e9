// Mocha reporter: the usual spec output on the console, plus a small JSON results file for
// scripts/test-all.mjs. Output path: --reporter-option output=<file> (or CE_RESULTS_FILE).
// usage: mocha --reporter ./scripts/lib/specJsonReporter.cjs --reporter-option output=.test-results/unit.json
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

class SpecJsonReporter extends Mocha.reporters.Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const reporterOptions = options.reporterOptions || options.reporterOption || {};
    const output = reporterOptions.output || process.env.CE_RESULTS_FILE;
    const suite = reporterOptions.suite || (output ? path.basename(output, '.json') : 'mocha');
    const tests = [];
    const started = Date.now();
    runner.on(EVENT_TEST_PASS, (t) => tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on(EVENT_TEST_FAIL, (t, err) => tests.push({ title: t.fullTitle(), state: 'failed', error: String(err && err.message) }));
    runner.on(EVENT_TEST_PENDING, (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
    runner.once(EVENT_RUN_END, () => {
      if (!output) return;
      const results = {
        suite,
        passes: this.stats.passes,
        // hook failures count too (they are not in `tests` as test failures)
        failures: this.stats.failures,
        pending: this.stats.pending,
        durationMs: Date.now() - started,
        tests,
      };
      fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
      fs.writeFileSync(output, JSON.stringify(results, null, 2));
    });
  }
}

module.exports = SpecJsonReporter;
