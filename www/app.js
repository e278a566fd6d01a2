// The demo page: a live classifier, a real fetch against the local demo server, and the documented
// table, all through the package's public API.
import {classify, codes} from 'http-verdict';

const $ = id => document.querySelector(`#${id}`);

function parseHeaderLines(text) {
	const pairs = [];
	for (const line of text.split('\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) {
			pairs.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
		}
	}

	return pairs;
}

function renderVerdict(target, verdict) {
	const list = document.createElement('dl');
	list.className = 'verdict';
	for (const field of ['kind', 'family', 'action', 'retryable', 'neverProcessed', 'retryAfterMs', 'title', 'description', 'detail']) {
		const term = document.createElement('dt');
		term.textContent = field;
		const value = document.createElement('dd');
		value.dataset.field = field;
		value.textContent = String(verdict[field]);
		list.append(term, value);
	}

	target.replaceChildren(list);
}

function renderError(target, error) {
	const message = document.createElement('p');
	message.className = 'error';
	message.dataset.errorCode = error.code ?? '';
	message.textContent = `${error.name} ${error.code ?? ''}: ${error.message}`;
	target.replaceChildren(message);
}

function updateClassifier() {
	const statusText = $('status').value.trim();
	const status = statusText === '' ? Number.NaN : Number(statusText);
	try {
		const verdict = classify({
			status,
			method: $('method').value,
			headers: parseHeaderLines($('headers').value),
			body: $('body').value,
		});
		renderVerdict($('verdict'), verdict);
	} catch (error) {
		renderError($('verdict'), error);
	}
}

async function runLive() {
	const output = $('live-verdict');
	const parameters = new URLSearchParams({retryAfter: $('live-retry-after').value});
	output.textContent = 'Fetching…';
	try {
		const response = await fetch(`/api/status/${encodeURIComponent($('live-status').value)}?${parameters}`);
		const body = await response.text();
		renderVerdict(output, classify({status: response.status, headers: response.headers, body}));
	} catch (error) {
		renderError(output, error);
	}
}

const rows = codes();
const picker = $('status-pick');
for (const [index, row] of rows.entries()) {
	if (row.status !== null) {
		picker.append(new Option(`${row.status} ${row.title} (${row.kind})`, String(index)));
	}

	const tableRow = document.createElement('tr');
	for (const text of [row.status ?? '—', row.kind, row.retryable ? 'yes' : 'no', row.action, row.description]) {
		const cell = document.createElement('td');
		if (text === row.kind || text === row.action) {
			const code = document.createElement('code');
			code.textContent = text;
			cell.append(code);
		} else {
			cell.textContent = String(text);
		}

		tableRow.append(cell);
	}

	$('codes').tBodies[0].append(tableRow);
}

picker.addEventListener('change', () => {
	const row = rows[Number(picker.value)];
	$('status').value = String(row.status);
	const bodies = {invalid_route: '{"message": "Invalid route"}', wrong_identifier: '{"message": "Wrong identifier"}', quota_exceeded: '{"message": "Limit Exceeded"}', throttled: '{"message": "Too Many Requests"}'};
	$('body').value = bodies[row.kind] ?? `{"message": "${row.title}"}`;
	updateClassifier();
});
picker.value = String(rows.findIndex(row => row.status === Number($('status').value)));
$('classifier').addEventListener('input', updateClassifier);
$('live-run').addEventListener('click', runLive);
updateClassifier();
document.body.dataset.ready = 'true';
