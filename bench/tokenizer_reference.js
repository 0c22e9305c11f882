// The reference side of the tokenizer benchmark: @lenml/tokenizers
// (transformers.js's tokenizers) under node, on the same tokenizer folder and
// text as bench/tokenizer_bench.cpp. Prints JSON: the CPU time of loading the
// tokenizer and of encoding the text (best of REPEATS), the text's bytes, the
// number of ids and their FNV-1a hash (so the table can say both sides
// produced the same ids).
//
// usage: node tokenizer_reference.js LENML_MAIN_JS TOKENIZER_DIR TEXT_FILE [REPEATS]
"use strict";
const fs = require("fs");
const path = require("path");

const [mainJs, dir, textFile, repeatsArg] = process.argv.slice(2);
const repeats = Number(repeatsArg || 3);
const { TokenizerLoader } = require(path.resolve(mainJs));

// CPU time of the process in ms (the machine is shared: wall time would
// mostly measure the neighbours).
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function fnv1a(ids) {
  let h = 0x811c9dc5;
  for (const id of ids) {
    for (let shift = 0; shift < 32; shift += 8) {
      h ^= (id >>> shift) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}

const text = fs.readFileSync(textFile, "utf8");
let start = cpuMs();
const tokenizer = TokenizerLoader.fromPreTrained({
  tokenizerJSON: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
  tokenizerConfig: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")),
});
const loadMs = cpuMs() - start;

let best = Infinity;
let ids = [];
for (let i = 0; i < repeats; ++i) {
  start = cpuMs();
  ids = tokenizer.encode(text, { add_special_tokens: false });
  best = Math.min(best, cpuMs() - start);
}
process.stdout.write(JSON.stringify({
  library: "@lenml/tokenizers " + require(path.join(path.dirname(path.resolve(mainJs)), "..", "package.json")).version,
  node: process.version,
  load_ms: loadMs,
  encode_ms: best,
  bytes: Buffer.byteLength(text, "utf8"),
  tokens: ids.length,
  ids_fnv1a: fnv1a(ids),
}) + "\n");
