// The rate-limit dialects of public APIs (tests/dialects/corpus.json, each case with its source)
// through the package's classify, as a user's code meets them; prints a table of API × cases read as
// documented. tests/dialects.rs runs the same corpus through the core natively.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {classify} from '../../pkg/node.js';

const corpus = JSON.parse(readFileSync(new URL('../dialects/corpus.json', import.meta.url), 'utf8'));
// Mon, 07 Dec 2026 10:00:00 GMT: the client's clock, the Date of every case.
const NOW_MS = Date.UTC(2026, 11, 7, 10, 0, 0);

test('every dialect in the corpus is read as its documentation says, through the package', t => {
	const table = new Map();
	for (const entry of corpus.cases) {
		const where = `${entry.api}, ${entry.case}`;
		const verdict = classify({status: entry.status, headers: entry.headers, body: entry.body || undefined}, {nowMs: NOW_MS});
		assert.ok(entry.kinds.includes(verdict.kind), `${where}: ${verdict.kind}`);
		if (entry.noWait) {
			assert.equal(verdict.retryAfterMs, null, where);
		} else {
			assert.ok(verdict.retryAfterMs >= entry.waitAtLeastMs && verdict.retryAfterMs <= entry.waitAtMostMs, `${where}: ${verdict.retryAfterMs} ms`);
		}

		table.set(entry.api, (table.get(entry.api) ?? 0) + 1);
	}

	t.diagnostic('| API | cases read as documented |');
	for (const [api, count] of table) {
		t.diagnostic(`| ${api} | ${count} |`);
	}
});
