// The words of a verdict (title, description, family, action…) come from the core's tables, written
// at build time by examples/core_tables.rs, not from the wasm. The same example
// writes samples.json: verdicts the core itself described. Every one must come out of the package
// field for field: every status with its default kind, every kind at several statuses (through a
// profile that gives it), and thrown values covering every transport detail. It also writes the
// core's decision sentences for the dialect corpus's answers and the origin's throttle gate, which
// name every wait source: the package's sentences must be the same, word for word.

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {classify, classifyError, ClientState, createProfile, RetryPolicy} from '../../pkg/node.js';
import * as presets from '../../pkg/presets.js';

const samples = JSON.parse(readFileSync(new URL('../../target/core-tables/samples.json', import.meta.url), 'utf8'));
const table = JSON.parse(readFileSync(new URL('../../target/core-tables/tables.json', import.meta.url), 'utf8'));
// The clock and origin of the decision samples (CORPUS_NOW_MS and ORIGIN in examples/core_tables.rs).
const NOW_MS = Date.UTC(2026, 11, 7, 10, 0, 0);
const ORIGIN = 'https://api.test';
const FIELDS = ['status', 'kind', 'family', 'title', 'description', 'retryable', 'action', 'neverProcessed', 'detail'];

function fields(verdict) {
	return Object.fromEntries(FIELDS.map(name => [name, verdict[name]]));
}

test('every response verdict the core describes reads the same through the package', () => {
	assert.ok(samples.responses.length > 600, `${samples.responses.length} samples`);
	const byKind = new Map();
	for (const sample of samples.responses) {
		byKind.set(sample.kind, [...byKind.get(sample.kind) ?? [], sample]);
	}

	for (const [kind, kindSamples] of byKind) {
		const profile = createProfile({rules: kindSamples.map(({status}) => ({status, kind}))});
		for (const sample of kindSamples) {
			assert.deepEqual(fields(classify({status: sample.status}, {profile})), sample, `${sample.status} as ${kind}`);
		}

		profile.free();
	}
});

test('every transport detail the core describes reads the same through the package', () => {
	const details = new Set();
	for (const {error, verdict} of samples.errors) {
		const thrown = Object.assign(new Error(error.message, {cause: error.cause}), {name: error.name});
		assert.deepEqual(fields(classifyError(thrown)), verdict, JSON.stringify(error));
		details.add(verdict.detail);
	}

	assert.equal(details.size, table.details.length, 'every transport detail is covered');
});

test('every decision sentence the core writes for the dialect corpus and the throttle gate reads the same through the package', () => {
	const all = [];
	for (const {answers, messages} of samples.decisions) {
		const preset = answers[0].profile;
		const profile = preset === null ? undefined : createProfile(presets[preset]);
		const policy = new RetryPolicy({seed: 1, profile});
		const state = new ClientState();
		const got = answers.map(({status, headers, body}) => policy.decide({attempt: 1, status, responseHeaders: headers, body: body || undefined, origin: ORIGIN, nowMs: NOW_MS}, state).message);
		assert.deepEqual(got, messages, JSON.stringify(answers));
		all.push(...got);
		profile?.free();
	}

	for (const label of table.waitSources) {
		assert.ok(all.some(message => message.includes(`; ${label} `) || message.endsWith(` per ${label}; not retried`)), `a sample names ${label}`);
	}
});
