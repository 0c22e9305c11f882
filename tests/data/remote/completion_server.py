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
        top = top_logprobs(ids, n)
        as_ids = req.get("return_tokens_as_token_ids", False)
        key = (lambda i: "token_id:%d" % i) if as_ids else piece
        best_id, best_lp = top[0]
        return self.send_json(200, {
            "id": "cmpl-test", "object": "text_completion", "model": args.model_name,
            "choices": [{"index": 0, "text": piece(best_id), "finish_reason": "length",
                         "logprobs": {"text_offset": [0], "token_logprobs": [best_lp],
                                      "tokens": [key(best_id)],
                                      "top_logprobs": [{key(i): v for i, v in top}]}}],
            "usage": {"prompt_tokens": len(ids), "completion_tokens": 1}})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
