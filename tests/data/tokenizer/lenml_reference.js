// Independent tokenizer reference: @lenml/tokenizers (transformers.js's
// tokenizers, no dependencies) run under node on the same files Beamscope
// reads, for a list of texts.
//
// usage: node lenml_reference.js LENML_MAIN_JS TOKENIZER TEXTS_JSON
//   LENML_MAIN_JS  the package's dist/main.js
//   TOKENIZER      a folder with tokenizer.json (+ tokenizer_config.json), or
//                  a GPT-2 folder with vocab.json + merges.txt, which is
//                  described to the library as the tokenizer.json Hugging
//                  Face writes for GPT-2
//   TEXTS_JSON     a JSON list of strings
// Prints {"ids", "ids_no_special", "tokens", "decoded", "decoded_no_special"},
// one entry per text: encode(text) with and without add_special_tokens,
// convert_ids_to_tokens, and decode(ids, skip_special_tokens=false) of each.
"use strict";
const fs = require("fs");
const path = require("path");

const [mainJs, tokenizerPath, textsFile] = process.argv.slice(2);
const { TokenizerLoader } = require(path.resolve(mainJs));

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function gpt2TokenizerJson(dir) {
  const merges = fs
    .readFileSync(path.join(dir, "merges.txt"), "utf8")
    .split("\n")
    .filter((line) => line.length > 0 && !line.startsWith("#version"));
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: "1.0",
    added_tokens: [
      { id: 50256, content: "<|endoftext|>", single_word: false, lstrip: false, rstrip: false,
        normalized: true, special: true },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, add_prefix_space: true, trim_offsets: false },
    decoder: { ...byteLevel, add_prefix_space: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "",
             end_of_word_suffix: "", fuse_unk: false, byte_fallback: false,
             vocab: readJson(path.join(dir, "vocab.json")), merges },
  };
}

function load(dir) {
  const json = path.join(dir, "tokenizer.json");
  const config = path.join(dir, "tokenizer_config.json");
  if (fs.existsSync(json)) {
    return TokenizerLoader.fromPreTrained({
      tokenizerJSON: readJson(json),
      tokenizerConfig: fs.existsSync(config) ? readJson(config) : {},
    });
  }
  return TokenizerLoader.fromPreTrained({
    tokenizerJSON: gpt2TokenizerJson(dir),
    tokenizerConfig: { bos_token: "<|endoftext|>", eos_token: "<|endoftext|>",
                       unk_token: "<|endoftext|>", add_prefix_space: false,
                       tokenizer_class: "GPT2Tokenizer" },
  });
}

// The library refuses to decode no ids; the text of none is "".
function decode(ids) {
  return ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: false });
}

const tokenizer = load(tokenizerPath);
const texts = readJson(textsFile);
const out = { ids: [], ids_no_special: [], tokens: [], decoded: [], decoded_no_special: [] };
for (const text of texts) {
  const ids = tokenizer.encode(text);
  const plain = tokenizer.encode(text, { add_special_tokens: false });
  out.ids.push(ids);
  out.ids_no_special.push(plain);
  out.tokens.push(tokenizer.model.convert_ids_to_tokens(plain));
  out.decoded.push(decode(ids));
  out.decoded_no_special.push(decode(plain));
}
process.stdout.write(JSON.stringify(out));
