// What llama.cpp says: next-token log-probs of GGUF files through npm's
// node-llama-cpp (its prebuilt CPU llama.cpp), for the llama.cpp oracle test.
//
// Usage: node llama_cpp_logprobs.mjs NODE_LLAMA_CPP_DIR CASES_DIR
//   NODE_LLAMA_CPP_DIR: the folder whose node_modules holds node-llama-cpp
//   (tests/fetch-test-data.sh puts it in build/fetched/node-llama-cpp);
//   CASES_DIR: written by make_llama_cpp_cases.py. For every case it reads
//   <name>.gguf and the prompts of <name>.expected.json and writes
//   <name>.llama_cpp.json: {prompts: [{ids, logprobs [V]}], llama_cpp: release}.
//
// The prompts are given as token ids (no BOS added, no tokenizing), one
// sequence at a time from an empty history; the log-prob of a token is the
// log of llama.cpp's probability for it (softmax of its float32 logits,
// computed in its addon). The KV cache is asked to be F32 and flash attention
// off: llama.cpp's default F16 cache alone moves log-probs by ~1e-2, and the
// oracle is meant to show how llama.cpp reads the file, not its cache format.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [moduleDir, casesDir] = process.argv.slice(2);
if (!moduleDir || !casesDir) {
  console.error("usage: node llama_cpp_logprobs.mjs NODE_LLAMA_CPP_DIR CASES_DIR");
  process.exit(2);
}
const entry = path.join(moduleDir, "node_modules", "node-llama-cpp", "dist", "index.js");
const { getLlama } = await import(pathToFileURL(entry).href);

// build: "never": the prebuilt library or nothing (no compiler, no network).
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const release = `${llama.llamaCppRelease.repo}@${llama.llamaCppRelease.release}`;

async function nextLogProbs(sequence, ids, vocabSize) {
  await sequence.clearHistory();
  // yieldEogToken: a model whose likeliest next token is EOS still answers.
  const options = { yieldEogToken: true };
  for await (const out of sequence.evaluateWithMetadata(ids, { probabilities: true }, options)) {
    const logprobs = new Array(vocabSize).fill(null);
    for (const [id, p] of out.probabilities) {
      if (id < 0 || id >= vocabSize) throw new Error(`token id ${id} outside the vocabulary`);
      logprobs[id] = Math.log(p);
    }
    return logprobs;
  }
  throw new Error(`llama.cpp gave no next token for prompt ${ids}`);
}

const cases = JSON.parse(fs.readFileSync(path.join(casesDir, "cases.json"), "utf8"));
for (const c of cases) {
  const expected = JSON.parse(fs.readFileSync(path.join(casesDir, `${c.name}.expected.json`), "utf8"));
  const model = await llama.loadModel({ modelPath: path.join(casesDir, `${c.name}.gguf`) });
  const context = await model.createContext({
    contextSize: 64,
    threads: 1,
    flashAttention: false,
    experimentalKvCacheKeyType: "F32",
    experimentalKvCacheValueType: "F32",
  });
  const sequence = context.getSequence();
  const prompts = [];
  for (const prompt of expected.prompts) {
    prompts.push({ ids: prompt.ids, logprobs: await nextLogProbs(sequence, prompt.ids, expected.vocab_size) });
  }
  fs.writeFileSync(path.join(casesDir, `${c.name}.llama_cpp.json`), JSON.stringify({ llama_cpp: release, prompts }));
  await context.dispose();
  await model.dispose();
}
await llama.dispose();
