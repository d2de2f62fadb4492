// SPDX-License-Identifier: GPL-3.0-or-later
// Generates tests/data/semver-cases.json with node-semver as the oracle for Trove's own semver
// code (model/npm/semver.*). Produced with node-semver 7.8.6:
//
//   mkdir /tmp/oracle && cd /tmp/oracle && npm install semver@7
//   node tests/data/generate-semver-cases.mjs /tmp/oracle/node_modules/semver > tests/data/semver-cases.json
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const semver = require(process.argv[2]);

const ranges = [
  '', '*', 'x', 'X', '1', '1.x', '1.2', '1.2.x', '1.2.*', '=1.2.3', 'v1.2.3', '1.2.3',
  '>1.2.3', '>=1.2.3', '<1.2.3', '<=1.2.3', '> 1.2.3', '>= 1.2.3 < 2', '>=1.2.3 <2.0.0',
  '^1.2.3', '^0.2.3', '^0.0.3', '^1.2', '^0.2', '^0.0', '^1', '^0', '^0.x', '^1.x', '^ 1.2.3',
  '^1.2.3-beta.2', '^0.0.3-beta', '~1.2.3', '~1.2', '~1', '~0.2.3', '~1.2.3-beta.2', '~> 1.2.3', '~ 1.2',
  '1.2.3 - 2.3.4', '1.2 - 2.3.4', '1.2.3 - 2.3', '1.2.3 - 2', '1 - 2', '* - 2', '1.2.3-alpha - 2.0.0-rc.1',
  '1.2.3 || 2.x', '<1.0.0 || >=2.0.0', '^1.0.0 || ^2.0.0-0', '1.x || >=2.5.0 || 5.0.0 - 7.2.3',
  '>=1.2.3-alpha <1.2.4', '<1.0.0-0', '>=0.0.0', '>=0.0.0-0', '<0.0.0-0', '>1', '<1', '>=1', '<=1', '>1.2', '<=1.2',
  '>x', '<x', '>=x', '=x', '1.2.3-beta.1', '>=1.2.3-beta.1 <1.2.3-beta.10', '~1.2.3-0',
  '>=2.0.0 <=2.0.0', '  1.2.3  ', '1.2.3 ||', '|| 1.2.3', '1.2.3 - ', 'not a range', '>>1', '1.2.3.4', '^01.2.3',
  '1.2.3+build', '>=1.2.3+build', 'latest', 'beta', 'next',
];
const versions = [
  '0.0.0', '0.0.1', '0.0.3', '0.0.3-beta', '0.0.4', '0.1.0', '0.2.3', '0.2.9', '0.3.0', '1.0.0-0', '1.0.0-alpha',
  '1.0.0', '1.2.0', '1.2.2', '1.2.3-0', '1.2.3-alpha', '1.2.3-beta.1', '1.2.3-beta.2', '1.2.3-beta.10', '1.2.3',
  '1.2.3+build.5', '1.2.4-0', '1.2.4', '1.3.0', '1.9.9', '2.0.0-0', '2.0.0-rc.1', '2.0.0', '2.3.4', '2.3.5',
  '2.5.0', '3.0.0', '5.0.0', '7.2.3', '7.2.4', 'v1.2.3', '=1.2.3', ' 1.2.3 ', '1.2', '01.2.3', '1.2.3-01',
  '9007199254740991.0.0', '9007199254740992.0.0',
];

const cases = [];
for (const range of ranges) {
  for (const includePrerelease of [false, true]) {
    let valid = true;
    try {
      new semver.Range(range, { includePrerelease });
    } catch {
      valid = false;
    }
    for (const version of versions) {
      cases.push({
        range, version, includePrerelease, valid,
        satisfies: valid ? semver.satisfies(version, range, { includePrerelease }) : false,
      });
    }
  }
}
const valid = versions.map((version) => ({ version, valid: semver.valid(version) !== null }));
const sorted = semver.sort(versions.filter((v) => semver.valid(v) !== null));
// One case a line, so that a diff of a regenerated file reads well.
const lines = (list) => list.map((item) => '  ' + JSON.stringify(item)).join(',\n');
process.stdout.write(`{"oracle": ${JSON.stringify('node-semver ' + require(process.argv[2] + '/package.json').version)},
"sorted": ${JSON.stringify(sorted)},
"valid": [
${lines(valid)}
],
"satisfies": [
${lines(cases)}
]}
`);
