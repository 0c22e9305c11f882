// llama.cpp's decode step and 128-token prefill on a GGUF file, through npm's
// node-llama-cpp (its prebuilt CPU library), timed the way
// bench/gguf_step_bench.cpp times ours on the same file: wall-clock
// milliseconds, best and median of several repetitions, the same prompt ids.
//
// Usage: node llama_cpp_step.mjs NODE_LLAMA_CPP_DIR MODEL.gguf THREADS SECONDS
// Prints one JSON object: decode_ms / prefill_ms {best, median, n}, threads,
// llama.cpp release.
//
//   decode   one token at position 128 (after a 128-token prompt), logits of
//            that token, then the token is erased from the KV cache so every
//            step costs the same; node-llama-cpp picks the greedy token from
//            the logits (an argmax over the vocabulary: ~0.1 ms of a step)
//   prefill  128 prompt tokens in one batch from an empty cache, logits of
//            the last one (as our prefill computes the head for the last row)
// llama.cpp runs with its defaults otherwise (F16 KV cache, flash attention
// "auto", the CPU variant of ggml it picks for this processor).
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const [moduleDir, modelPath, threadsArg, secondsArg] = process.argv.slice(2);
if (!moduleDir || !modelPath) {
  console.error("usage: node llama_cpp_step.mjs NODE_LLAMA_CPP_DIR MODEL.gguf THREADS SECONDS");
  process.exit(2);
}
const threads = Number(threadsArg ?? 2);
const seconds = Number(secondsArg ?? 5);
const kPosition = 128;

const entry = path.join(moduleDir, "node_modules", "node-llama-cpp", "dist", "index.js");
const { getLlama } = await import(pathToFileURL(entry).href);
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: 512, batchSize: 512, threads });
const sequence = context.getSequence();
// The vocabulary size: the token embedding's rows (GGML dims {hidden, vocab}).
const embedding = model.fileInfo.fullTensorInfo.find((t) => t.name === "token_embd.weight");
const V = Number(embedding.dimensions[1]);

// The same formula as gguf_step_bench.cpp's prompt().
function prompt(n, seed, V) {
  const ids = [];
  for (let i = 0; i < n; ++i) ids.push(Number((BigInt(seed) * 7919n + BigInt(i) * 104729n) % BigInt(V)));
  return ids;
}

// Evaluates `ids` and asks for the next token after the last one (which
// makes llama.cpp compute that row's logits, and only that row's).
async function evaluateWithLastLogits(ids) {
  const input = ids.slice(0, -1);
  input.push([ids[ids.length - 1], { generateNext: { token: true } }]);
  await sequence.controlledEvaluate(input);
}

// CPU time of the whole process (all threads, llama.cpp's included), in ms.
function processCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
}

// Repeats `once` (returning wall ms) for about `seconds` (at least 3 times)
// after one untimed run; best and median wall ms, least process CPU ms.
async function timed(once) {
  await once();
  const samples = [];
  let cpuBest = Infinity;
  const until = performance.now() + seconds * 1e3;
  while (samples.length < 3 || performance.now() < until) {
    const cpu = processCpuMs();
    samples.push(await once());
    cpuBest = Math.min(cpuBest, processCpuMs() - cpu);
  }
  samples.sort((a, b) => a - b);
  return { best: samples[0], median: samples[Math.floor(samples.length / 2)], cpu_best: cpuBest, n: samples.length };
}

const ids = prompt(kPosition, 7, V);

const prefill = await timed(async () => {
  await sequence.clearHistory();
  const start = performance.now();
  await evaluateWithLastLogits(ids);
  return performance.now() - start;
});

await sequence.clearHistory();
await evaluateWithLastLogits(ids);
const decode = await timed(async () => {
  const start = performance.now();
  await evaluateWithLastLogits([100]);
  const ms = performance.now() - start;
  await sequence.eraseContextTokenRanges([{ start: kPosition, end: kPosition + 1 }]);
  return ms;
});

console.log(
  JSON.stringify({
    model: modelPath,
    threads,
    vocab: V,
    decode_ms: decode,
    prefill_ms: prefill,
    llama_cpp: `${llama.llamaCppRelease.repo}@${llama.llamaCppRelease.release}`,
  }),
);
await context.dispose();
await model.dispose();
await llama.dispose();
