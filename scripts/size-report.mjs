// Where the bytes of the shipped wasm go: sections, the largest functions by name, grouped by the
// crate or module they come from, and the data segments. Dependency-free: it reads the wasm binary
// format itself, so it needs nothing beyond Node.
//
// The shipped module (pkg/http_verdict_bg.wasm) carries no names. scripts/build.sh therefore keeps a
// twin, target/size/http_verdict_named.wasm, made by the same wasm-opt run with names kept; the
// shipped file is that twin with only its custom sections stripped. This report refuses to attribute
// bytes unless the two code sections are byte-for-byte the same size, so every figure it prints is
// about what ships.
//
// Usage: node scripts/size-report.mjs [shipped.wasm] [named.wasm] [--top N]

import {readFileSync} from 'node:fs';
import {gzipSync, constants as zlib} from 'node:zlib';

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
const CODE_SECTION = 10;
const DATA_SECTION = 11;
const IMPORT_SECTION = 2;
const FUNCTION_NAMES_SUBSECTION = 1;

function reader(bytes, start = 0, end = bytes.length) {
	let offset = start;
	const u32 = () => {
		let result = 0;
		let shift = 0;
		for (;;) {
			const byte = bytes[offset++];
			result += (byte & 0x7F) * 2 ** shift;
			if (byte < 0x80) {
				return result;
			}

			shift += 7;
		}
	};

	const name = () => {
		const length = u32();
		const text = new TextDecoder().decode(bytes.subarray(offset, offset + length));
		offset += length;
		return text;
	};

	return {
		u32,
		name,
		byte: () => bytes[offset++],
		skip(count) {
			offset += count;
		},
		get offset() {
			return offset;
		},
		get done() {
			return offset >= end;
		},
	};
}

/** The sections of a module: id, name (custom sections by their own name), byte range. */
export function sections(bytes) {
	if (bytes.readUInt32LE(0) !== 0x6D_73_61_00) {
		throw new Error('not a wasm module');
	}

	const found = [];
	const input = reader(bytes, 8);
	while (!input.done) {
		const id = input.byte();
		const size = input.u32();
		const start = input.offset;
		let name = SECTION_NAMES[id] ?? `unknown-${id}`;
		if (id === 0) {
			name = `custom:${reader(bytes, start).name()}`;
		}

		found.push({id, name, start, size});
		input.skip(size);
	}

	return found;
}

function importedFunctionCount(bytes, section) {
	if (section === undefined) {
		return 0;
	}

	const input = reader(bytes, section.start);
	let functions = 0;
	for (let count = input.u32(); count > 0; count--) {
		input.name();
		input.name();
		const kind = input.byte();
		switch (kind) {
			case 0: { // function: type index
				input.u32();
				functions++;
				break;
			}

			case 1: // table: reftype, then limits
			case 2: { // memory: limits (flags, minimum, maximum when flag 1 is set)
				if (kind === 1) {
					input.byte();
				}

				const flags = input.byte();
				input.u32();
				if (flags & 1) {
					input.u32();
				}

				break;
			}

			case 3: { // global: valtype, mutability
				input.byte();
				input.byte();
				break;
			}

			default: {
				throw new Error(`unknown import kind ${kind}`);
			}
		}
	}

	return functions;
}

function functionNames(bytes, section) {
	const names = new Map();
	if (section === undefined) {
		return names;
	}

	const end = section.start + section.size;
	const input = reader(bytes, section.start, end);
	input.name(); // "name"
	while (!input.done) {
		const subsection = input.byte();
		const size = input.u32();
		const next = input.offset + size;
		if (subsection === FUNCTION_NAMES_SUBSECTION) {
			for (let count = input.u32(); count > 0; count--) {
				const index = input.u32();
				names.set(index, input.name());
			}
		}

		input.skip(next - input.offset);
	}

	return names;
}

/** The module without its custom sections (names, producers, target features): what ships. */
export function withoutCustomSections(bytes) {
	const kept = [bytes.subarray(0, 8)];
	let end = 8;
	for (const section of sections(bytes)) {
		const sectionEnd = section.start + section.size;
		if (section.id !== 0) {
			// From the end of the previous section: this section's id and size bytes, then its body.
			kept.push(bytes.subarray(end, sectionEnd));
		}

		end = sectionEnd;
	}

	return Buffer.concat(kept);
}

/** Each defined function's body size, with its name when the module has a name section. */
export function functionSizes(bytes) {
	const all = sections(bytes);
	const code = all.find(section => section.id === CODE_SECTION);
	const imported = importedFunctionCount(bytes, all.find(section => section.id === IMPORT_SECTION));
	const names = functionNames(bytes, all.find(section => section.name === 'custom:name'));
	const input = reader(bytes, code.start);
	const functions = [];
	for (let count = input.u32(), index = imported; count > 0; count--, index++) {
		const size = input.u32();
		const start = input.offset;
		input.skip(size);
		functions.push({index, name: names.get(index) ?? `func[${index}]`, size, start});
	}

	return functions;
}

/** The data segments' sizes (active segments: memory index or flags, offset expression, bytes). */
export function dataSegments(bytes) {
	const data = sections(bytes).find(section => section.id === DATA_SECTION);
	if (data === undefined) {
		return [];
	}

	const input = reader(bytes, data.start);
	const segments = [];
	for (let count = input.u32(); count > 0; count--) {
		const flags = input.u32();
		if (flags === 2) {
			input.u32();
		}

		if (flags !== 1) {
			// An offset expression: read opcodes up to `end` (0x0B); i32.const carries a LEB.
			for (let opcode = input.byte(); opcode !== 0x0B; opcode = input.byte()) {
				input.u32();
			}
		}

		const size = input.u32();
		segments.push({start: input.offset, size});
		input.skip(size);
	}

	return segments;
}

/** Where a symbol comes from: its crate, or the module for this crate and `core`/`alloc`. */
export function origin(name) {
	const cleaned = name.replace(/^<|^_<|^&/, '').replace(/^(?:impl |dyn )/, '');
	const path = cleaned.split(/[<> ]/)[0].split('::');
	if (path.length < 2) {
		return cleaned.startsWith('func[') ? '(unnamed)' : '(wasm-bindgen / runtime)';
	}

	if (['core', 'alloc', 'std', 'http_verdict'].includes(path[0])) {
		return path.slice(0, 2).join('::');
	}

	return path[0];
}

const gzip = bytes => gzipSync(bytes, {level: zlib.Z_BEST_COMPRESSION}).length;
const kb = bytes => `${(bytes / 1024).toFixed(1)} KB`;

export function report(shippedPath, namedPath, top = 25) {
	const shipped = readFileSync(shippedPath);
	const named = readFileSync(namedPath);
	const shippedCode = sections(shipped).find(section => section.id === CODE_SECTION);
	const namedCode = sections(named).find(section => section.id === CODE_SECTION);
	if (shippedCode.size !== namedCode.size) {
		throw new Error(`${namedPath} is not the shipped module's twin: code sections of ${namedCode.size} and ${shippedCode.size} bytes`);
	}

	const lines = [];
	lines.push(`wasm ${shippedPath}: ${kb(shipped.length)} raw, ${kb(gzip(shipped))} gzip`);
	for (const section of sections(shipped)) {
		const body = shipped.subarray(section.start, section.start + section.size);
		lines.push(`  section ${section.name.padEnd(16)} ${kb(section.size).padStart(9)} raw ${kb(gzip(body)).padStart(9)} gzip`);
	}

	const functions = functionSizes(named).map(fn => ({...fn, gzip: gzip(named.subarray(fn.start, fn.start + fn.size))}));
	const groups = new Map();
	for (const fn of functions) {
		const group = groups.get(origin(fn.name)) ?? {count: 0, size: 0};
		group.count++;
		group.size += fn.size;
		groups.set(origin(fn.name), group);
	}

	lines.push(`  code by origin (raw bytes of ${functions.length} functions):`);
	for (const [name, group] of [...groups].sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
		lines.push(`    ${kb(group.size).padStart(9)}  ${String(group.count).padStart(4)} fn  ${name}`);
	}

	lines.push(`  largest functions (raw; gzip of the body alone):`);
	for (const fn of functions.toSorted((a, b) => b.size - a.size).slice(0, top)) {
		lines.push(`    ${kb(fn.size).padStart(9)} ${kb(fn.gzip).padStart(9)}  ${fn.name.slice(0, 110)}`);
	}

	const segments = dataSegments(shipped);
	const dataBytes = segments.reduce((sum, segment) => sum + segment.size, 0);
	lines.push(`  data: ${segments.length} segments, ${kb(dataBytes)} raw`);
	return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const args = process.argv.slice(2);
	const topIndex = args.indexOf('--top');
	const top = topIndex === -1 ? 25 : Number(args.splice(topIndex, 2)[1]);
	const [shippedPath = 'pkg/http_verdict_bg.wasm', namedPath = 'target/size/http_verdict_named.wasm'] = args;
	console.log(report(shippedPath, namedPath, top));
}
