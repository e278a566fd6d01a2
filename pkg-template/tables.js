// The core's tables, written by the core itself at build time (examples/core_tables.rs) and bundled
// here, so that they stay written once (in the Rust tables) and the wasm carries none of them: the
// verdicts' words (kinds, transport details, reason phrases, status classes), the decision reasons'
// ids by index, the method names by code, the header names the built-in rules read, the documented
// table's kinds and the sentences of an invalid status.
import CORE_TABLES from '../target/core-tables/tables.json';

export default CORE_TABLES;
