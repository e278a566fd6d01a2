// The demo page: a live classifier, a real fetch against the local demo server, and the documented
// table, all through the package's public API.
// The package's web entry by path, as a plain page loads it; no inline import map, so the page also
// runs under a strict Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval').
import {classify, codes, plan} from '/pkg/web.js';
import {setUpFrames} from './frames.js';
import {setUpLiveRetries} from './live.js';
import {svgElement} from './svg.js';
import {setUpSimulator} from './simulator.js';

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

function labOptions() {
	const options = {};
	for (const field of $('lab').elements) {
		if (field.name) {
			options[field.name] = field.type === 'number' ? Number(field.value) : field.value;
		}
	}

	return options;
}

function formatMs(ms) {
	return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

function drawPlan() {
	const chart = $('lab-chart');
	let waits;
	let spread;
	try {
		const options = labOptions();
		waits = plan(options);
		spread = Array.from({length: 60}, (_, index) => plan({...options, seed: options.seed + index + 1}));
		$('lab-error').textContent = '';
	} catch (error) {
		$('lab-error').textContent = `${error.name} ${error.code ?? ''}: ${error.message}`;
		return;
	}

	const width = 640;
	const height = 240;
	const left = 56;
	const bottom = 28;
	const maxMs = Math.max(1, ...waits, ...spread.flat());
	const slot = (width - left - 10) / Math.max(1, waits.length);
	const y = ms => height - bottom - (ms / maxMs) * (height - bottom - 12);
	const shapes = [
		svgElement('line', {x1: left, y1: height - bottom, x2: width - 4, y2: height - bottom, class: 'axis'}),
		svgElement('text', {x: left - 6, y: y(maxMs) + 4, 'text-anchor': 'end', class: 'tick'}, formatMs(maxMs)),
		svgElement('text', {x: left - 6, y: height - bottom + 4, 'text-anchor': 'end', class: 'tick'}, '0'),
	];
	for (const [index, wait] of waits.entries()) {
		const x = left + (index * slot) + (slot * 0.2);
		shapes.push(
			svgElement('rect', {x, y: y(wait), width: slot * 0.6, height: Math.max(1, height - bottom - y(wait)), class: 'bar'}),
			svgElement('text', {x: x + (slot * 0.3), y: height - 8, 'text-anchor': 'middle', class: 'tick'}, `retry ${index + 1}`),
		);
		for (const [client, other] of spread.entries()) {
			shapes.push(svgElement('circle', {cx: x + (slot * 0.6 * ((client + 0.5) / spread.length)), cy: y(other[index]), r: 2, class: 'dot'}));
		}
	}

	chart.replaceChildren(...shapes);
	$('lab-waits').replaceChildren(...waits.map((wait, index) => {
		const item = document.createElement('li');
		item.textContent = `before attempt ${index + 2}: ${formatMs(wait)}`;
		return item;
	}));
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
$('lab').addEventListener('input', drawPlan);
drawPlan();
updateClassifier();
setUpLiveRetries();
setUpFrames();
await setUpSimulator();
document.body.dataset.ready = 'true';
