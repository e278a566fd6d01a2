// A decision's sentence, from the same template table the Rust core's `Decision::message` reads
// (src/sentences.txt, bundled into the package as text), so that the wasm carries neither the
// sentences nor the code that assembles them.
import TEMPLATES from '../src/sentences.txt';
import CORE_TABLES from './tables.js';
import {waitSourceIndex} from './verdict.js';

let templates;

function template(key) {
	if (templates === undefined) {
		templates = new Map();
		for (const line of TEMPLATES.split('\n')) {
			const tab = line.indexOf('\t');
			if (tab > 0 && !line.startsWith('#')) {
				templates.set(line.slice(0, tab), line.slice(tab + 1));
			}
		}
	}

	return templates.get(key) ?? '{subject}';
}

const UNITS = [[3_600_000, 'h'], [60_000, 'min'], [1000, 's']];

/** A wait for people: `450 ms`, `2 s`, `2.1 s`, `1.5 min`, `24 h` (one decimal at most, rounded). */
export function formatWait(ms) {
	const unit = UNITS.find(([unitMs]) => ms >= unitMs);
	if (unit === undefined) {
		return `${ms} ms`;
	}

	const [unitMs, name] = unit;
	// NOTE: exact integer steps (a multiple of the tenth divided by it), as the core's u64 arithmetic,
	// even for waits near 2^53 ms where a float division could round.
	const tenthMs = unitMs / 10;
	const tenths = (ms - (ms % tenthMs)) / tenthMs + (ms % tenthMs >= unitMs / 20 ? 1 : 0);
	const fraction = tenths % 10;
	return `${(tenths - fraction) / 10}${fraction === 0 ? '' : `.${fraction}`} ${name}`;
}

/** The verdict as a sentence's subject: `503 Service Unavailable`, `Network Error (dns_failure)`. */
function subject(verdict) {
	const status = verdict.status === null ? '' : `${verdict.status} `;
	const detail = verdict.kind === 'network_error' && verdict.detail !== null ? ` (${verdict.detail})` : '';
	return `${status}${verdict.title}${detail}`;
}

/**
 * The sentence of a decision. `parts`: reason id, verdict, delay, attempt, maxAttempts, the method's
 * canonical name (undefined for an unknown method), the server's wait and the refusing limit (-1: none).
 */
export function decisionSentence(reason, verdict, delayMs, attempt, maxAttempts, method, hintMs, limitMs) {
	// Where the server's wait was read (Decision::wait_source in src/decision.rs): the verdict's
	// source for the verdict's own wait, else the origin's throttle gate, the last label.
	const labels = CORE_TABLES.waitSources;
	const source = hintMs === verdict.retryAfterMs ? waitSourceIndex(verdict) : labels.length - 1;
	let key = reason;
	if (reason === 'quota_exceeded') {
		// A reset from Retry-After (source 0) keeps the sentence it had before sentences named their source.
		key = verdict.kind === 'quota_exceeded' ? (hintMs < 0 ? reason : (source ? 'quota_exceeded+source' : 'quota_exceeded+reset')) : 'quota_exceeded+origin';
	}

	// NOTE: every value, though a template uses a few: a sentence is made only when it is read.
	const values = {
		subject: subject(verdict),
		method: method ?? 'The request method',
		attempt,
		next: attempt + 1,
		max: maxAttempts,
		delay: formatWait(delayMs),
		hint: formatWait(Math.max(hintMs, 0)),
		source: labels[source],
		limit: formatWait(Math.max(limitMs, 0)),
	};
	return template(key).replaceAll(/{(\w+)}/g, (_, name) => values[name] ?? '');
}
