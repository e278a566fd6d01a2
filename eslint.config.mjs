// A small lint for every hand-written JavaScript file (the package's sources, the demo page, the
// scripts, the tests and the benchmarks): ESLint's recommended rules, in browsers and Node both.
// Generated files (pkg/, target/) and installed ones are not ours to lint.
import js from '@eslint/js';
import globals from 'globals';

export default [
	{ignores: ['pkg/**', 'target/**', 'node_modules/**', 'tests/artifacts/**']},
	js.configs.recommended,
	{
		languageOptions: {ecmaVersion: 2024, sourceType: 'module', globals: {...globals.browser, ...globals.node}},
		rules: {
			// A catch that only ignores is written on purpose (a body that may not parse, a peek that may fail).
			'no-empty': ['error', {allowEmptyCatch: true}],
		},
	},
];
