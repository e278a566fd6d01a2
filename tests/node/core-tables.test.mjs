// The words of a verdict (title, description, family, action…) come from the core's tables, written
// at build time by examples/core_tables.rs, not from the wasm. The same example
// writes samples.json: verdicts the core itself described. Every one must come out of the package
// field for field: every status with its default kind, every kind at several statuses (through a
// profile that gives it), and thrown values covering every transport detail.

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {classify, classifyError, createProfile} from '../../pkg/node.js';

const samples = JSON.parse(readFileSync(new URL('../../target/core-tables/samples.json', import.meta.url), 'utf8'));
const table = JSON.parse(readFileSync(new URL('../../target/core-tables/tables.json', import.meta.url), 'utf8'));
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
