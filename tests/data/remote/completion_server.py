"""An OpenAI-compatible (vLLM-style) or llama.cpp-native completion server in
front of an independent engine: the PyTorch forward of the bundled model
(resources/models/beamscope-mini: model.py, score_reference.py and bpe.py,
written for the reference checks, not Beamscope's C++ engine), in float64.

It answers the way the real servers format top log-probs:
  vLLM  POST /v1/completions {"prompt": [ids], "max_tokens": 1, "logprobs": N,
        "return_tokens_as_token_ids": true} -> choices[0].logprobs.top_logprobs[0]
        = {"token_id:ID": logprob, ...}; a request over --max-logprobs is a 400 as
        vLLM words it; GET /v1/models; POST /tokenize and /detokenize.
  llama.cpp  POST /completion {"prompt": [ids], "n_predict": 1, "n_probs": N} ->
        completion_probabilities[0].top_logprobs = [{"id", "token", "bytes",
        "logprob"}]; GET /props; GET /v1/models; /tokenize {"content"}, /detokenize.
Prompt log-probs (for `score`), as the servers give them:
  vLLM  "echo": true with "logprobs": N -> logprobs.token_logprobs of the prompt
        (the first null) then of the generated tokens, top_logprobs[i] the
        prompt token and the top N; "max_tokens": 0 with echo returns the
        prompt alone; "prompt_logprobs": K -> choices[0].prompt_logprobs =
        [null, {"ID": {"logprob", "rank", "decoded_token"}}, ...]; log-probs
        below -9999 written as -9999; a prompt id beyond the vocabulary is a 400
        "Token id N is out of vocabulary"; prompt + max_tokens over max_model_len
        a 400; GET /tokenizer_info (with --tokenizer-info) names eos_token.
  llama.cpp  /v1/completions ignores echo and prompt_logprobs and answers its
        own OpenAI format: logprobs.content[{id, token, bytes, logprob,
        top_logprobs}] of the generated token only.
  --no-echo / --no-prompt-logprobs: an OpenAI-compatible server that ignores
        echo / prompt_logprobs; --refuse-max-tokens-0: one that refuses
        "max_tokens": 0 (400); --no-vocab-check: one that does not refuse ids
        beyond its vocabulary (it answers as for id 0).
Faults for the error tests: --api-key K (401 without "Bearer K"), --busy-every M
(every M-th completion answers 429), --malformed (completions are not JSON),
--die-after K (the process exits after K completions), --delay S (seconds
before each completion answer).
Prints "PORT <n>" first, then serves until killed.
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import torch

ap = argparse.ArgumentParser()
ap.add_argument("--model-dir", required=True)
ap.add_argument("--kind", choices=["openai", "llamacpp"], default="openai")
ap.add_argument("--model-name", default="beamscope-mini")
ap.add_argument("--max-logprobs", type=int, default=20)
ap.add_argument("--api-key", default="")
ap.add_argument("--busy-every", type=int, default=0)
ap.add_argument("--malformed", action="store_true")
ap.add_argument("--die-after", type=int, default=0)
ap.add_argument("--delay", type=float, default=0.0)
ap.add_argument("--no-echo", action="store_true")
ap.add_argument("--no-prompt-logprobs", action="store_true")
ap.add_argument("--refuse-max-tokens-0", action="store_true")
ap.add_argument("--no-vocab-check", action="store_true")
ap.add_argument("--tokenizer-info", action="store_true")
args = ap.parse_args()

sys.path.insert(0, args.model_dir)
import bpe  # noqa: E402
import score_reference  # noqa: E402

torch.set_num_threads(1)
MODEL, CFG = score_reference.load(args.model_dir, torch.float64)
TOK = bpe.Tokenizer(args.model_dir)
LOCK = threading.Lock()
COUNT = [0]


def top_logprobs(ids, n):
    """The n best (id, log-prob) of the next token after ids, best first."""
    with LOCK, torch.no_grad():
        logits = MODEL(torch.tensor([ids], dtype=torch.long))[0, -1]
        lp = torch.log_softmax(logits.double(), dim=-1)
    values, index = torch.topk(lp, n)
    return [(int(i), float(v)) for v, i in zip(values, index)]


def prompt_logprobs(ids):
    """[len(ids), vocab] log-probs: row i is the distribution after ids[:i+1]."""
    with LOCK, torch.no_grad():
        logits = MODEL(torch.tensor([ids], dtype=torch.long))[0]
        return torch.log_softmax(logits.double(), dim=-1)


def clamp(v):
    return max(float(v), -9999.0)  # vLLM writes -inf (and below) as -9999


def piece(i):
    return TOK.decode([i])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send_json(self, status, obj, raw=None, extra=()):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def authorised(self):
        if not args.api_key or self.headers.get("Authorization") == "Bearer " + args.api_key:
            return True
        self.send_json(401, {"error": {"message": "Invalid API key.", "type": "auth", "code": 401}})
        return False

    def do_GET(self):
        if not self.authorised():
            return
        if self.path == "/v1/models":
            entry = {"id": args.model_name, "object": "model", "owned_by": "test",
                     "max_model_len": CFG["n_positions"]}
            if args.kind == "llamacpp":
                entry["meta"] = {"n_vocab": CFG["vocab_size"], "n_ctx_train": CFG["n_positions"]}
            return self.send_json(200, {"object": "list", "data": [entry]})
        if self.path == "/tokenizer_info" and args.kind == "openai" and args.tokenizer_info:
            return self.send_json(200, {"tokenizer_class": "GPT2TokenizerFast",
                                        "eos_token": {"content": bpe.EOT, "special": True}})
        if self.path == "/props" and args.kind == "llamacpp":
            return self.send_json(200, {"default_generation_settings": {"n_ctx": CFG["n_positions"]},
                                        "total_slots": 4, "build_info": "test",
                                        "eos_token": bpe.EOT})
        self.send_json(404, {"error": {"message": "Not Found", "code": 404}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        req = json.loads(self.rfile.read(length) or b"{}")
        if not self.authorised():
            return
        if self.path == "/tokenize":
            text = req.get("content", req.get("prompt", ""))
            ids = TOK.encode(text)
            return self.send_json(200, {"tokens": ids, "count": len(ids),
                                        "max_model_len": CFG["n_positions"]})
        if self.path == "/detokenize":
            text = TOK.decode(req.get("tokens", []))
            return self.send_json(200, {"content": text} if args.kind == "llamacpp" else {"prompt": text})
        if self.path == "/v1/completions" or (self.path == "/completion" and args.kind == "llamacpp"):
            return self.completion(req)
        self.send_json(404, {"error": {"message": "Not Found", "code": 404}})

    def completion(self, req):
        COUNT[0] += 1
        if args.die_after and COUNT[0] > args.die_after:
            os._exit(0)
        if args.busy_every and COUNT[0] % args.busy_every == 0:
            return self.send_json(429, {"error": {"message": "Too many requests", "code": 429}},
                                  extra=[("Retry-After", "0.05")])
        if args.delay:
            time.sleep(args.delay)
        if args.malformed:
            return self.send_json(200, None, raw=b'{"choices": [{"logprobs": ')
        if self.path == "/v1/completions" and req.get("model") not in (None, args.model_name):
            return self.send_json(404, {"error": {"message": "The model `%s` does not exist." % req.get("model"),
                                                  "type": "NotFoundError", "code": 404}})
        ids = req["prompt"]
        if self.path == "/completion":
            n = int(req.get("n_probs", 0))
            top = top_logprobs(ids, n)
            entries = [{"id": i, "token": piece(i), "bytes": list(piece(i).encode()), "logprob": v}
                       for i, v in top]
            best = entries[0]
            return self.send_json(200, {"content": best["token"], "tokens": [],
                                        "completion_probabilities": [dict(best, top_logprobs=entries)],
                                        "stop": True})
        n = int(req.get("logprobs") or 0)
        if n > args.max_logprobs:
            return self.send_json(400, {"object": "error", "type": "BadRequestError", "code": 400,
                                        "message": "Requested sample logprobs of %d, which is greater "
                                                   "than max allowed: %d" % (n, args.max_logprobs)})
        if args.kind == "llamacpp":
            return self.llamacpp_openai(ids, n)
        if max(ids) >= CFG["vocab_size"]:
            if not args.no_vocab_check:
                return self.bad_request("Token id %d is out of vocabulary" % max(ids))
            ids = [i if i < CFG["vocab_size"] else 0 for i in ids]
        if req.get("max_tokens") == 0 and args.refuse_max_tokens_0:
            return self.bad_request("max_tokens must be at least 1, got 0.")
        max_tokens = req.get("max_tokens", 16)
        echo = bool(req.get("echo")) and not args.no_echo
        k = None if args.no_prompt_logprobs else req.get("prompt_logprobs")
        if max_tokens == 0 and not echo:
            max_tokens = 1  # what the servers without echo do with 0
        if len(ids) + max_tokens > CFG["n_positions"]:
            return self.bad_request(
                "This model's maximum context length is %d tokens. However, you requested %d "
                "tokens (%d in the messages, %d in the completion). Please reduce the length of "
                "the messages or completion." % (CFG["n_positions"], len(ids) + max_tokens,
                                                 len(ids), max_tokens))
        as_ids = req.get("return_tokens_as_token_ids", False)
        key = (lambda i: "token_id:%d" % i) if as_ids else piece
        rows = prompt_logprobs(ids) if (echo or k is not None) else None
        # (token, its log-prob, {top N and itself}) of every prompt position.
        prompt_entries = []
        if rows is not None:
            prompt_entries.append((ids[0], None, None))
            for i in range(1, len(ids)):
                lp = rows[i - 1]
                tops = torch.topk(lp, max(n, k or 0))
                listed = {int(t): float(v) for v, t in zip(tops.values, tops.indices)}
                listed[ids[i]] = float(lp[ids[i]])
                prompt_entries.append((ids[i], float(lp[ids[i]]), listed))
        generated = []
        if max_tokens > 0:
            top = top_logprobs(ids, max(n, 1))
            generated.append((top[0][0], top[0][1], dict(top[:n]) if n else {}))
        entries = (prompt_entries if echo else []) + generated
        choice = {"index": 0, "text": "".join(piece(t) for t, _, _ in entries),
                  "finish_reason": "length"}
        if n or req.get("logprobs") == 0:
            choice["logprobs"] = {
                "text_offset": [0] * len(entries),
                "token_logprobs": [None if v is None else clamp(v) for _, v, _ in entries],
                "tokens": [key(t) for t, _, _ in entries],
                "top_logprobs": [None if d is None else {key(i): clamp(v) for i, v in d.items()}
                                 for _, _, d in entries]}
        if k is not None:
            def ranked(lp, d):
                return {str(i): {"logprob": clamp(v), "rank": int((lp > v).sum()) + 1,
                                 "decoded_token": piece(i)} for i, v in d.items()}
            choice["prompt_logprobs"] = [None] + [
                ranked(rows[i - 1], {t: v, **dict(list(d.items())[:k])})
                for i, (t, v, d) in enumerate(prompt_entries) if i > 0]
        return self.send_json(200, {
            "id": "cmpl-test", "object": "text_completion", "model": args.model_name,
            "choices": [choice],
            "usage": {"prompt_tokens": len(ids), "completion_tokens": len(generated)}})

    def bad_request(self, message):
        return self.send_json(400, {"error": {"message": message, "type": "BadRequestError",
                                              "param": None, "code": 400}})

    def llamacpp_openai(self, ids, n):
        """llama.cpp's /v1/completions: echo ignored, the generated token only."""
        top = top_logprobs(ids, max(n, 1))

        def entry(i, v):
            return {"id": i, "token": piece(i), "bytes": list(piece(i).encode()), "logprob": v}
        first = dict(entry(*top[0]), top_logprobs=[entry(i, v) for i, v in top[:n]])
        return self.send_json(200, {
            "id": "cmpl-test", "object": "text_completion", "model": args.model_name,
            "choices": [{"index": 0, "text": piece(top[0][0]), "finish_reason": "length",
                         "logprobs": {"content": [first]}}],
            "usage": {"prompt_tokens": len(ids), "completion_tokens": 1}})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
