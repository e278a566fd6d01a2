// No code generation in what ships: every .js file of the package (pkg/) and of the demo page (www/)
// is scanned for `eval`, `new Function`, `Function(...)` called as a constructor, `.constructor(...)`
// calls and string timers (`setTimeout('code')`). Strings, template text, regular expressions and
// comments are data, not code, so they are blanked out first by a small JavaScript lexer: the
// wasm-bindgen glue's debug formatting `Function(${val.name})` is template text, while the
// expressions inside `${...}` are still scanned. The package also has no runtime dependencies and
// no install scripts.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

// After these a `/` starts a regular expression; after anything else (a name, a number, `)`, `]`) it
// divides.
const REGEX_AFTER_PUNCTUATION = new Set([...'(,=:[!&|?{};+-*%<>~^']);
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/**
 * The code of a JavaScript source with its data blanked: each string becomes "S", each template
 * `"S"+(expr)+"S"` with its expressions kept (and blanked in turn), each regular expression /R/,
 * each comment a space.
 */
function codeOnly(source) {
	let index = 0;
	let previous = '';

	function regexAllowed() {
		if (previous === '') {
			return true;
		}

		return /[\w$]$/.test(previous) ? REGEX_AFTER_WORDS.has(previous) : REGEX_AFTER_PUNCTUATION.has(previous.at(-1));
	}

	function skipQuoted(quote) {
		for (index++; index < source.length && source[index] !== quote; index++) {
			if (source[index] === '\\') {
				index++;
			}
		}

		index++;
	}

	function skipRegex() {
		let inClass = false;
		for (index++; index < source.length; index++) {
			const char = source[index];
			if (char === '\\') {
				index++;
			} else if (char === '[') {
				inClass = true;
			} else if (char === ']') {
				inClass = false;
			} else if (char === '/' && !inClass) {
				break;
			} else if (char === '\n') {
				throw new SyntaxError(`unterminated regular expression at ${index}`);
			}
		}

		index++;
		while (/[a-z]/i.test(source[index] ?? '')) {
			index++;
		}
	}

	function template() {
		let out = '"S"';
		for (index++; index < source.length; index++) {
			const char = source[index];
			if (char === '\\') {
				index++;
			} else if (char === '`') {
				index++;
				return out;
			} else if (char === '$' && source[index + 1] === '{') {
				index += 2;
				previous = '(';
				out += `+(${code(true)})+"S"`;
				index--;
			}
		}

		throw new SyntaxError('unterminated template literal');
	}

	// Reads code up to the end, or (inside `${`) up to its closing brace, which it consumes.
	function code(inTemplate) {
		let out = '';
		let depth = 0;
		while (index < source.length) {
			const char = source[index];
			const next = source[index + 1];
			if (char === '/' && next === '/') {
				index = source.indexOf('\n', index);
				index = index === -1 ? source.length : index;
				out += ' ';
			} else if (char === '/' && next === '*') {
				index = source.indexOf('*/', index + 2) + 2;
				if (index === 1) {
					throw new SyntaxError('unterminated comment');
				}

				out += ' ';
			} else if (char === '"' || char === '\'') {
				skipQuoted(char);
				out += '"S"';
				previous = 'S';
			} else if (char === '`') {
				out += template();
				previous = 'S';
			} else if (char === '/' && regexAllowed()) {
				skipRegex();
				out += '/R/';
				previous = 'R';
			} else if (/[\w$]/.test(char)) {
				const word = /^[\w$]+/.exec(source.slice(index, index + 100))[0];
				out += word;
				index += word.length;
				previous = word;
			} else {
				if (inTemplate && char === '{') {
					depth++;
				} else if (inTemplate && char === '}' && depth-- === 0) {
					index++;
					return out;
				}

				out += char;
				index++;
				if (!/\s/.test(char)) {
					previous = char;
				}
			}
		}

		if (inTemplate) {
			throw new SyntaxError('unterminated template expression');
		}

		return out;
	}

	return code(false);
}

const FORBIDDEN = [
	['eval', /(?<![\w$])eval(?![\w$])/],
	['new Function', /\bnew\s+Function\b/],
	['Function(...) as a constructor call', /(?<![\w$])Function\s*\(/],
	['.constructor(...) (a function constructor reached through an object)', /\.\s*constructor\s*\(/],
	['a timer given a string of code', /\b(?:setTimeout|setInterval|setImmediate)\s*\(\s*"S"/],
];

/** The forbidden constructs in a source, as `name: excerpt`. */
function findings(source) {
	const code = codeOnly(source);
	const found = [];
	for (const [name, pattern] of FORBIDDEN) {
		const match = pattern.exec(code);
		if (match) {
			found.push(`${name}: …${code.slice(Math.max(0, match.index - 40), match.index + 40)}…`);
		}
	}

	// A computed lookup by a string is blanked with the string: catch `x['eval']` on the source.
	if (/\[\s*(["'`])(?:eval|Function)\1\s*\]/.test(source)) {
		found.push('eval or Function looked up by name');
	}

	return found;
}

function jsFiles(dir) {
	return readdirSync(dir, {recursive: true, withFileTypes: true})
		.filter(entry => entry.isFile() && entry.name.endsWith('.js'))
		.map(entry => join(entry.parentPath ?? entry.path, entry.name));
}

describe('the scanner (checked on small sources first)', () => {
	const flagged = [
		'eval("1 + 1")',
		'const run = (0, eval); run("x")',
		'globalThis.eval(code)',
		'new Function("a", "return a")',
		'Function("return this")()',
		'globalThis.Function(body)',
		'const f = new  Function\n("x")',
		'(async () => {}).constructor("return 1")',
		'setTimeout("tick()", 10)',
		'setInterval(\'tick()\', 10)',
		'setTimeout(`tick(${n})`, 10)',
		'const text = `${eval(input)}`',
		'const nested = `a ${`b ${Function(x)}`}`',
		'const x = a / eval(b)',
		'window["eval"]("x")',
	];
	const clean = [
		'const text = "eval(1) and new Function()"',
		'const debug = `Function(${val.name})`',
		'return `Function(${name})`',
		'// eval(x) in a comment\n/* new Function("x") */ const a = 1;',
		'const re = /eval\\(|Function\\(/g; re.test(s)',
		'if (x) { return /[/]eval(/.test(y); }',
		'const half = (a + b) / 2 / c; evaluate(x); isFunction(y)',
		'typeof value === "function" ? value() : null',
		'class A extends B { constructor(a) { super(a); } }',
		'setTimeout(() => resolve(), 10); setTimeout(tick, 0)',
		'const medieval = 1; const evaluation = medieval;',
	];
	for (const source of flagged) {
		test(`flags ${JSON.stringify(source)}`, () => {
			assert.notDeepEqual(findings(source), []);
		});
	}

	for (const source of clean) {
		test(`passes ${JSON.stringify(source)}`, () => {
			assert.deepEqual(findings(source), []);
		});
	}
});

describe('what ships', () => {
	const files = [...jsFiles(join(root, 'pkg')), ...jsFiles(join(root, 'www'))];

	test('the scan covers the package (both bundles, glue inlined) and the demo page', () => {
		const names = files.map(file => relative(root, file));
		for (const expected of ['pkg/node.js', 'pkg/web.js', 'www/app.js']) {
			assert.ok(names.includes(expected), `${expected} missing from ${names.join(', ')}`);
		}
	});

	for (const file of files) {
		test(`${relative(root, file)}: no eval, no Function constructor, no string timers`, () => {
			assert.deepEqual(findings(readFileSync(file, 'utf8')), []);
		});
	}

	test('pkg/package.json: no runtime dependencies of any kind, no install scripts', () => {
		const manifest = JSON.parse(readFileSync(join(root, 'pkg/package.json'), 'utf8'));
		for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies']) {
			const value = manifest[field];
			assert.ok(value === undefined || (typeof value === 'object' && Object.keys(value).length === 0), `${field}: ${JSON.stringify(value)}`);
		}

		for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
			assert.equal(manifest.scripts?.[hook], undefined, hook);
		}
	});
});
