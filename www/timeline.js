// The timeline of one createFetch call, drawn as it happens: shared by the live retries section
// (live.js) and the two frames (frame.js). Each step is a list item of a kind; a retry's wait is drawn
// when it starts (the wrapper's `sleep`) and completed with the core's reason when it ends
// (`beforeRetry`); the call's result replaces the previous one.

export function seconds(ms) {
	return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * A timeline in `list` (an <ol>, emptied), starting now; `onStep` runs after each step is added.
 * `at()` is the time since the start ("+1.23 s"), for the caller's own steps.
 */
export function timeline(list, onStep = () => {}) {
	const started = performance.now();
	const at = () => `+${seconds(performance.now() - started)}`;
	let waitStep;
	const add = (kind, text) => {
		const item = document.createElement('li');
		item.className = `step ${kind}`;
		item.dataset.kind = kind;
		item.textContent = text;
		list.append(item);
		onStep();
		return item;
	};

	list.replaceChildren();
	return {
		at,
		add,
		/** A retry's wait, as it starts. */
		waiting(ms) {
			waitStep = {item: add('wait', `${at()} waiting ${seconds(ms)}…`), at: at()};
		},
		/** The wait that just ended, with the decision that asked for it (createFetch's beforeRetry). */
		waited(decision) {
			const text = `waited ${seconds(decision.delayMs)} (${decision.reason}): ${decision.message}`;
			if (waitStep) {
				waitStep.item.textContent = `${waitStep.at} ${text}`;
			} else {
				add('wait', `${at()} ${text}`);
			}

			waitStep = undefined;
		},
		/** createFetch's onGiveUp. */
		gaveUp(decision) {
			add('give-up', `${at()} give up (${decision.reason}): ${decision.message}`);
		},
	};
}

/** Shows a call's result in `container`: `kind` 'ok' or 'error'. */
export function showResult(container, kind, text) {
	const paragraph = document.createElement('p');
	paragraph.className = kind === 'error' ? 'error' : 'success';
	paragraph.dataset.result = kind;
	paragraph.textContent = text;
	container.replaceChildren(paragraph);
}
