'use strict';
// Mocha's spec reporter, then the pending (skipped) tests with their titles, which say why, and
// one closing line, `N passed, N failed`, that .ci/run reads: it must stay the last line.
const Mocha = require('mocha');

class SpecWithTotals extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const skipped = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => skipped.push(test.fullTitle()));
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures } = runner.stats;
      if (skipped.length > 0) {
        process.stdout.write(`\n${skipped.length} skipped:\n`);
        for (const title of skipped) process.stdout.write(`  - ${title}\n`);
      }
      process.stdout.write(`\n${passes} passed, ${failures} failed\n`);
    });
  }
}

module.exports = SpecWithTotals;
