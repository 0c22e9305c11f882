// A llama.cpp-native completion server whose engine is llama.cpp itself:
// npm's node-llama-cpp (its prebuilt CPU library) evaluates every request,
// and this script only speaks the HTTP side the way llama.cpp's
// `llama-server` does, for the subset Beamscope uses:
//   GET  /props        {"default_generation_settings": {"n_ctx"}, "eos_token"}
//   GET  /v1/models    {"data": [{"id", "meta": {"n_vocab"}}]}
//   POST /completion   {"prompt": [ids], "n_predict": 1, "n_probs": N} ->
//        {"completion_probabilities": [{"id", "token", "logprob",
//          "top_logprobs": [{"id", "token", "bytes", "logprob"}, ...N]}]}
//   POST /tokenize     {"content"} -> {"tokens"};  /detokenize {"tokens"} -> {"content"}
// Requests arrive concurrently (Beamscope sends a step's prefixes at once);
// llama.cpp evaluates them one at a time on one sequence, each from an empty
// history. As in llama_cpp_logprobs.mjs the KV cache is F32 and flash
// attention off, so llama.cpp's own numerics (not its cache format) are what
// the answers carry.
//
// Usage: node llama_cpp_server.mjs NODE_LLAMA_CPP_DIR MODEL.gguf
// Prints "PORT <n>" once it listens on 127.0.0.1, then serves until killed.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [moduleDir, modelPath] = process.argv.slice(2);
if (!moduleDir || !modelPath) {
  console.error("usage: node llama_cpp_server.mjs NODE_LLAMA_CPP_DIR MODEL.gguf");
  process.exit(2);
}
const entry = path.join(moduleDir, "node_modules", "node-llama-cpp", "dist", "index.js");
const { getLlama } = await import(pathToFileURL(entry).href);
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const model = await llama.loadModel({ modelPath });
const contextSize = Math.min(model.trainContextSize, 512);
const context = await model.createContext({
  contextSize,
  threads: 1,
  flashAttention: false,
  experimentalKvCacheKeyType: "F32",
  experimentalKvCacheValueType: "F32",
});
const sequence = context.getSequence();
const vocabSize = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
const name = path.basename(modelPath);

// One evaluation at a time: a queue of promises.
let queue = Promise.resolve();
function serially(work) {
  const result = queue.then(work);
  queue = result.catch(() => {});
  return result;
}

// Every token's log-prob after `ids`, best first.
async function nextTokens(ids) {
  await sequence.clearHistory();
  for await (const out of sequence.evaluateWithMetadata(ids, { probabilities: true }, { yieldEogToken: true })) {
    const all = [...out.probabilities].map(([id, p]) => ({ id, logprob: Math.log(p) }));
    all.sort((a, b) => b.logprob - a.logprob || a.id - b.id);
    return all;
  }
  throw new Error("llama.cpp gave no next token");
}

function piece(id) {
  return model.detokenize([id], true);
}

function entryOf({ id, logprob }) {
  const token = piece(id);
  return { id, token, bytes: [...Buffer.from(token, "utf8")], logprob };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function validIds(prompt) {
  return Array.isArray(prompt) && prompt.length > 0 && prompt.length < contextSize &&
    prompt.every((t) => Number.isInteger(t) && t >= 0 && t < vocabSize);
}

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", async () => {
    try {
      if (req.method === "GET" && req.url === "/props") {
        return send(res, 200, {
          default_generation_settings: { n_ctx: contextSize },
          eos_token: model.tokens.eosString ?? "",
          model_path: modelPath,
        });
      }
      if (req.method === "GET" && req.url === "/v1/models") {
        return send(res, 200, { object: "list", data: [{ id: name, object: "model", meta: { n_vocab: vocabSize } }] });
      }
      if (req.method !== "POST") return send(res, 404, { error: { code: 404, message: "File Not Found" } });
      const r = JSON.parse(body || "{}");
      if (req.url === "/tokenize") {
        // As llama-server: special tokens in the text are parsed, none are added.
        return send(res, 200, { tokens: model.tokenize(String(r.content ?? ""), true) });
      }
      if (req.url === "/detokenize") {
        return send(res, 200, { content: model.detokenize(r.tokens ?? [], true) });
      }
      if (req.url === "/completion") {
        if (!validIds(r.prompt)) {
          return send(res, 400, { error: { code: 400, message: "prompt must be token ids inside the vocabulary and context" } });
        }
        const n = Math.max(0, Math.min(Number(r.n_probs ?? 0), vocabSize));
        const ranked = await serially(() => nextTokens(r.prompt));
        const best = entryOf(ranked[0]);
        return send(res, 200, {
          content: best.token,
          tokens: [best.id],
          completion_probabilities: [{ ...best, top_logprobs: ranked.slice(0, n).map(entryOf) }],
          stop: true,
        });
      }
      return send(res, 404, { error: { code: 404, message: "File Not Found" } });
    } catch (e) {
      return send(res, 500, { error: { code: 500, message: String(e && e.message ? e.message : e) } });
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`PORT ${server.address().port}\n`);
});
