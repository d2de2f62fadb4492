// SPDX-License-Identifier: GPL-3.0-or-later
// Generates tests/data/semver-cases.json, node-semver's own answers that tests/model/tst_semver.cpp
// holds Trove's semver code (model/npm/semver.*) to. Produced with node-semver 7.8.6 and Node 20:
//
//   mkdir -p /tmp/semver-oracle && cd /tmp/semver-oracle && npm install semver@7
//   cd /work/main && node tests/data/generate-semver-cases.mjs /tmp/semver-oracle/node_modules/semver > tests/data/semver-cases.json
//
// Sections: "ranges" (is the range valid), "satisfies" (every valid range × every version, with and
// without includePrerelease), "versions" (valid for node-semver, strict SemVer 2.0, clean()),
// "compare" (compare and compareBuild of each pair of strict versions), "sorted" (sort()).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const semver = require(process.argv[2]);
const oracle = require(process.argv[2] + '/package.json').version;

const ranges = [
  // x-ranges, partials, empty
  '', '*', 'x', 'X', 'x.x', 'x.x.x', 'X.x', '1', '1.x', '1.X', '1.x.x', '1.*.*', '1.2', '1.2.x', '1.2.X',
  '1.2.*', '*.1', 'x.1', '1.x.2', '*-0', '1.2.x-beta', '01', '1.02', '1.2.03',
  // plain versions and comparators
  '1.2.3', '=1.2.3', 'v1.2.3', '=v1.2.3', 'v v1.2.3', '1.2.3-beta.1', '1.2.3+build', '1.2.3-beta+build',
  '>1.2.3', '>=1.2.3', '<1.2.3', '<=1.2.3', '> 1.2.3', '>= 1.2.3', '>=  1.2.3', '> = 1.2.3',
  '>v1.2.3', '> v1.2.3', '>=v1', '>1', '<1', '>=1', '<=1', '>1.2', '<1.2', '>=1.2', '<=1.2',
  '>x', '<x', '>=x', '<=x', '=x', '>*', '<*', '>=*', '<=*', '=*', '<=x.x.x', '>x.x', '>1.x.x-beta',
  '<=1.2.x-beta', '>=1.2.3 <2.0.0', '>= 1.2.3 < 2', '>=1.2.3 <=1.2.3-beta', '>=2.0.0 <=2.0.0',
  '>1.2.3 <1.2.3', '<1.2.3 >1.2.3', '1 2', '1.2.3 1.2.4', '>=1 <=1', '<=1.2.3-beta.2',
  '>1.2.3-alpha', '<1.2.3-beta', '>=1.2.3-alpha <1.2.4', '>=1.2.3-beta.1 <1.2.3-beta.10',
  '>=1.0.0-0 <1.0.0', '1.2.3-0 || 1.2.4-0', '>=1.2.3+build <2', '1.2.3 +x',
  // the null set and the any set
  '<0.0.0-0', '<0.0.0', '<0.0.0-1', '<1.0.0-0', '>=0.0.0', '>=0.0.0-0', ' >=0.0.0 ', '>= 0.0.0',
  '>=0.0.0 <0.0.1', '<0.0.0-0 || <0.0.0-0', '<0.0.0-0 || 1.2.3', '>=1.2.3 || <0.0.0-0',
  '<0.0.0-0 garbage', '1.2.3 <0.0.0-0',
  // carets
  '^1.2.3', '^0.2.3', '^0.0.3', '^0.0.1', '^0.0.1-beta', '^1.2', '^0.2', '^0.1', '^0.0', '^0.0.x', '^1', '^0',
  '^0.x', '^1.x', '^1.2.x', '^x', '^*', '^ 1.2.3', '^  1.2.3', '^v1.2.3', '^=1.2.3', '^1.2.3-beta.2',
  '^0.0.3-beta', '^1.2.3+build', '^01.2.3', '^1.2.3.4', '^9007199254740990.0.0', '^9007199254740991.0.0',
  // tildes
  '~1.2.3', '~1.2', '~1', '~0', '~0.0', '~0.2.3', '~1.2.x', '~1.x', '~x', '~*', '~1.2.3-beta.2', '~1.2.3-0',
  '~> 1.2.3', '~>1.2', '~ 1.2', '~ > 1.2', '~v1.2', '~=1.2.3', '^ ~1.2', '~1.2.3beta',
  // hyphen ranges
  '1.2.3 - 2.3.4', '1.2 - 2.3.4', '1.2.3 - 2.3', '1.2.3 - 2', '1 - 2', '1 - 2.x', '1.x - 2', '1.2.x - 1.3',
  '* - 2', 'x - 1.2', '1.2.3 - x', '1.2 - *', '1.2.3-alpha - 2.0.0-rc.1', '1.2.3-alpha.1 - 1.2.3-alpha.5',
  'v1.2.3 - v2.0.0', '=1.2.3 - 2', '1.2.3+build - 2.0.0+meta', '1.2.3 - 2.0.0 || 3', '1.2.3 - 2.0.0 - 3',
  '1.2.3 -2.0.0', '1.2.3- 2.0.0', '1.2.3  -  2.0.0', '1.2.3\t-\t2.0.0', '1.2.3 - ', '- 1.2.3', '1.2.3 -',
  // unions
  '1.2.3 || 2.x', '<1.0.0 || >=2.0.0', '^1.0.0 || ^2.0.0-0', '1.x || >=2.5.0 || 5.0.0 - 7.2.3',
  '1.2.3 ||', '|| 1.2.3', '||', '|| ||', '1 || || 2', '1.2.3 || a', '1.2.3||2.0.0', '>=1.2.3 || *',
  // whitespace as JavaScript sees it
  '  1.2.3  ', '1.2.3\u00a0', '\u00a01.2.3', '\ufeff^1.2.3', '>=\u20031.2.3', '1.2.3\u0085', '\n1.2.3\n',
  // not ranges, or not valid comparators
  'not a range', 'latest', 'beta', 'next', 'a', '>>1', '>', '<', '>=', '=', '~', '^', '**', '1.2.3*',
  '*1', '1.2.3.4', '1.2.3beta', '1.2.3-', '1.2.3+', '1.2.3-+', '<=99999999999999999999.x',
  '9007199254740992', '9007199254740991.0.0', '>=1.2.3 <a',
];
const versions = [
  '0.0.0-0', '0.0.0', '0.0.1-beta', '0.0.1', '0.0.2-0', '0.0.3-beta', '0.0.3', '0.0.4', '0.1.0-0', '0.1.0',
  '0.2.3', '0.2.9', '0.3.0', '1.0.0-0', '1.0.0-alpha', '1.0.0', '1.2.0', '1.2.2', '1.2.3-0', '1.2.3-alpha',
  '1.2.3-alpha.1', '1.2.3-beta.1', '1.2.3-beta.2', '1.2.3-beta.10', '1.2.3', '1.2.3+build.5', '1.2.4-0',
  '1.2.4-beta', '1.2.4', '1.3.0-0', '1.3.0', '1.9.9', '2.0.0-0', '2.0.0-rc.1', '2.0.0', '2.3.4-rc.1', '2.3.4',
  '2.3.5-0', '2.3.5', '2.5.0', '3.0.0-0', '3.0.0', '5.0.0', '7.2.3', '7.2.4', '9007199254740991.0.0',
  'v1.2.3', '=1.2.3', ' 1.2.3 ', '1.2', '01.2.3',
];
// Only read as versions (valid, strict, clean, compare).
const moreVersions = [
  '1.2.3-01', '9007199254740992.0.0', '1.0.0-9007199254740993', '1.0.0-9007199254740992',
  '1.0.0-100000000000000000000', '1.0.0-99999999999999999999', '1.2.3\u00a0', '\ufeff1.2.3', '1.2.3\n',
  '1.2.3\u0085', 'vv1.2.3', '==1.2.3', 'v=1.2.3', '= v1.2.3', 'v 1.2.3', 'V1.2.3', '1.2.3-beta+build',
  '1.0.0+b.2', '1.0.0+b.10', '1.0.0+a', '1.0.0+1', '1.0.0-a.b.c', '1.0.0-a.b', '1.0.0-A', '1.0.0-a',
  '1.0.0-1a', '1.0.0-a1', '1.0.0-2', '1.0.0-10', '1.0.0-alpha-1', '1.0.0--', '1.0.0-', '1.0.0+', '1.2.3.4',
  '1', '', ' ', 'a.b.c', '1.2.3 4', '1./2.3', '../../../../../1.2.3', '%2e%2e%2f1.2.3', '1.2.3-' + 'a'.repeat(250),
  '1.2.3-' + 'a'.repeat(251), '1.2.3+' + 'b'.repeat(250),
];

const rangeValid = (range, includePrerelease) => {
  try {
    new semver.Range(range, { includePrerelease });
    return true;
  } catch {
    return false;
  }
};

const rangeCases = [];
const satisfies = [];
for (const range of ranges) {
  const valid = rangeValid(range, false);
  if (valid !== rangeValid(range, true)) {
    throw new Error(`validity of "${range}" depends on includePrerelease`);
  }
  rangeCases.push({ range, valid });
  if (!valid) {
    continue;
  }
  for (const includePrerelease of [false, true]) {
    for (const version of versions) {
      satisfies.push({
        range, version, includePrerelease,
        satisfies: semver.satisfies(version, range, { includePrerelease }),
      });
    }
  }
}

const allVersions = [...versions, ...moreVersions];
const strictOf = (v) => {
  const normal = semver.valid(v);
  return normal !== null && (v === normal || v.startsWith(normal + '+'));
};
const versionCases = allVersions.map((version) => ({
  version, valid: semver.valid(version) !== null, strict: strictOf(version), clean: semver.clean(version),
}));

const comparable = allVersions.filter((v) => strictOf(v));
const compare = [];
// Each unordered pair once; the test also checks the swapped order.
for (let i = 0; i < comparable.length; i++) {
  for (let j = i + 1; j < comparable.length; j++) {
    const [a, b] = [comparable[i], comparable[j]];
    compare.push({ a, b, compare: semver.compare(a, b), compareBuild: semver.compareBuild(a, b) });
  }
}
const sorted = semver.sort(allVersions.filter((v) => semver.valid(v) !== null));

// One case a line, so that a diff of a regenerated file reads well. Characters outside ASCII are
// written as \u escapes: they stay visible, and Qt's JSON parser drops a raw U+FEFF.
const ascii = (text) => text.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
const lines = (list) => list.map((item) => '  ' + ascii(JSON.stringify(item))).join(',\n');
process.stdout.write(`{"oracle": ${JSON.stringify('node-semver ' + oracle)},
"sorted": ${ascii(JSON.stringify(sorted))},
"ranges": [
${lines(rangeCases)}
],
"versions": [
${lines(versionCases)}
],
"compare": [
${lines(compare)}
],
"satisfies": [
${lines(satisfies)}
]}
`);
