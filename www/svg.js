// One helper for the page's hand-drawn SVG charts (no chart library needed for bars and lines).
const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and optional text. */
export function svgElement(name, attributes, text) {
	const element = document.createElementNS(SVG, name);
	for (const [key, value] of Object.entries(attributes)) {
		element.setAttribute(key, String(value));
	}

	if (text !== undefined) {
		element.textContent = text;
	}

	return element;
}
