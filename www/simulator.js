// The fleet simulator section: runs the crate's simulator (its own wasm, served at /sim/) for
// several policies and plots success and load per second side by side.
import initSimulator, {policyIds, runScenario, scenarioNames} from '/sim/http_verdict_sim.js';
import {svgElement as svg} from './svg.js';

const COLORS = {defaults: '#0b5cad', none: '#6b7280', naive: '#b42318', ky: '#b54708', 'aws-standard': '#027a48', grpc: '#6941c6', 'sre-budget': '#c11574'};
const DEFAULT_POLICIES = new Set(['defaults', 'naive', 'aws-standard']);
const SCALE = 0.5;

const $ = id => document.querySelector(`#${id}`);

function plot(target, reports, valueOf, maxValue, label) {
	const width = 640;
	const height = 220;
	const left = 48;
	const bottom = 24;
	const seconds = Math.max(1, ...reports.map(report => report.series.length));
	const x = second => left + ((second / seconds) * (width - left - 8));
	const y = value => height - bottom - ((value / maxValue) * (height - bottom - 10));
	const shapes = [];
	const fault = reports[0]?.fault;
	if (fault) {
		shapes.push(svg('rect', {x: x(fault.startMs / 1000), y: 10, width: Math.max(1, x(fault.endMs / 1000) - x(fault.startMs / 1000)), height: height - bottom - 10, class: 'fault'}));
	}

	shapes.push(
		svg('line', {x1: left, y1: height - bottom, x2: width - 4, y2: height - bottom, class: 'axis'}),
		svg('text', {x: left - 6, y: y(maxValue) + 4, 'text-anchor': 'end', class: 'tick'}, label(maxValue)),
		svg('text', {x: left - 6, y: height - bottom + 4, 'text-anchor': 'end', class: 'tick'}, label(0)),
		svg('text', {x: width - 4, y: height - 6, 'text-anchor': 'end', class: 'tick'}, `${seconds} s`),
	);
	for (const report of reports) {
		const points = report.series.map((bucket, second) => `${x(second).toFixed(1)},${y(Math.min(maxValue, valueOf(bucket))).toFixed(1)}`);
		shapes.push(svg('polyline', {points: points.join(' '), fill: 'none', stroke: COLORS[report.policy] ?? '#000', 'stroke-width': 1.6, 'data-policy': report.policy}));
	}

	target.replaceChildren(...shapes);
}

function recoveryText(recovery) {
	if (recovery === 'never') {
		return 'never';
	}

	if (recovery?.afterMs !== undefined) {
		return `${(recovery.afterMs / 1000).toFixed(1)} s`;
	}

	return '—';
}

function percent(value) {
	return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)} %`;
}

function ratio(value) {
	return value === null || value === undefined ? '—' : value.toFixed(2);
}

function render(reports) {
	const maxLoad = Math.max(1, ...reports.flatMap(report => report.series.map(bucket => bucket.attempts)));
	plot($('sim-success'), reports, bucket => (bucket.successes + bucket.failures === 0 ? 1 : bucket.successes / (bucket.successes + bucket.failures)), 1, value => `${Math.round(value * 100)} %`);
	plot($('sim-load'), reports, bucket => bucket.attempts, maxLoad, value => String(Math.round(value)));
	$('sim-table').tBodies[0].replaceChildren(...reports.map(report => {
		const row = document.createElement('tr');
		row.dataset.policy = report.policy;
		const breaks = Object.values(report.compliance).reduce((sum, count) => sum + count, 0);
		for (const text of [report.policy, ratio(report.all.amplification), ratio(report.all.amplificationFault), percent(report.all.successRate), recoveryText(report.all.recovery), String(breaks)]) {
			const cell = document.createElement('td');
			cell.textContent = text;
			row.append(cell);
		}

		row.cells[0].style.color = COLORS[report.policy] ?? '';
		return row;
	}));
}

function run(event) {
	event?.preventDefault();
	const scenario = $('sim-scenario').value;
	const seed = Number($('sim-seed').value);
	const policies = [...$('sim-policies').querySelectorAll('input:checked')].map(input => input.value);
	try {
		render(policies.map(policy => runScenario(scenario, policy, seed, SCALE)));
		$('sim-error').textContent = '';
	} catch (error) {
		$('sim-error').textContent = `${error.name} ${error.code ?? ''}: ${error.message}`;
	}
}

export async function setUpSimulator() {
	await initSimulator({module_or_path: new URL('/sim/http_verdict_sim_bg.wasm', import.meta.url)});
	for (const name of scenarioNames()) {
		$('sim-scenario').append(new Option(name, name, name === 'spike', name === 'spike'));
	}

	for (const policy of policyIds()) {
		const label = document.createElement('label');
		label.className = 'check';
		const input = document.createElement('input');
		input.type = 'checkbox';
		input.value = policy;
		input.checked = DEFAULT_POLICIES.has(policy);
		label.append(input, ` ${policy}`);
		$('sim-policies').append(label);
	}

	$('sim').addEventListener('submit', run);
	run();
}
