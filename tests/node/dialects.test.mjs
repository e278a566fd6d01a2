// The rate-limit dialects of public APIs (tests/dialects/corpus.json, each case with its source)
// through the package's classify, as a user's code meets them; prints a table of API × cases read as
// documented. tests/dialects.rs runs the same corpus through the core natively. A case with a wait is
// explained by a default RetryPolicy's decision as the case records (`explained`, naming its
// `waitSource`), as the core explains it natively.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {classify, createProfile, RetryPolicy} from '../../pkg/node.js';
import * as presets from '../../pkg/presets.js';

const corpus = JSON.parse(readFileSync(new URL('../dialects/corpus.json', import.meta.url), 'utf8'));
// Mon, 07 Dec 2026 10:00:00 GMT: the client's clock, the Date of every case.
const NOW_MS = Date.UTC(2026, 11, 7, 10, 0, 0);

/** Whether the package reads `entry` as its documentation says; else what it got instead. */
function misread(entry) {
	const profile = entry.profile === undefined ? undefined : createProfile(presets[entry.profile]);
	const verdict = classify({status: entry.status, headers: entry.headers, body: entry.body || undefined}, {nowMs: NOW_MS, profile});
	if (!entry.kinds.includes(verdict.kind)) {
		return `kind ${verdict.kind}`;
	}

	if (entry.noWait) {
		return verdict.retryAfterMs === null ? undefined : `a wait of ${verdict.retryAfterMs} ms`;
	}

	const inRange = verdict.retryAfterMs !== null && verdict.retryAfterMs >= entry.waitAtLeastMs && verdict.retryAfterMs <= entry.waitAtMostMs;
	return inRange ? misexplained(entry, profile) : `a wait of ${verdict.retryAfterMs} ms`;
}

/** Whether a default policy's decision explains the case's wait as recorded (the clause after the verdict). */
function misexplained(entry, profile) {
	assert.ok(entry.explained.includes(entry.waitSource), `${entry.case}: ${entry.explained} names ${entry.waitSource}`);
	const {message} = new RetryPolicy({profile}).decide({attempt: 1, status: entry.status, responseHeaders: entry.headers, body: entry.body || undefined, nowMs: NOW_MS});
	return message.split('; ')[1] === entry.explained ? undefined : `explained as ${JSON.stringify(message)}`;
}

// A case the core does not read yet says so (`readToday: false`, with its gap); the list is held exact
// both ways, as in tests/dialects.rs.
test('every dialect in the corpus is read as its documentation says through the package, or listed as a gap', t => {
	const table = new Map();
	for (const entry of corpus.cases) {
		const where = `${entry.api}, ${entry.case}`;
		const got = misread(entry);
		if (entry.readToday === false) {
			assert.ok(got !== undefined, `${where}: read now; remove its readToday: false`);
			assert.ok(typeof entry.gap === 'string' && entry.gap !== '', `${where}: a gap says what is not read`);
		} else {
			assert.equal(got, undefined, where);
		}

		const [read, all] = table.get(entry.api) ?? [0, 0];
		table.set(entry.api, [read + (got === undefined ? 1 : 0), all + 1]);
	}

	t.diagnostic('| API | cases read as documented |');
	for (const [api, [read, all]] of table) {
		t.diagnostic(`| ${api} | ${read} of ${all} |`);
	}
});
