#!/usr/bin/python3
"""Train beamscope-mini (GPT-2 architecture) on work/train.u16 with a wall-clock budget.

Reproducible: fixed seeds, deterministic data order (per-epoch permutation from a seeded generator).
The number of optimizer steps is fixed after a short speed calibration (logged as total_steps);
pass --steps N to reproduce a run exactly with the same schedule, independent of machine speed.
Writes the Hugging Face folder (config.json, model.safetensors, generation_config.json,
tokenizer_config.json) into the model folder at every checkpoint and at the end.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

import bpe
from model import GPT2, save_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))


def log(msg, f=None):
    line = f"[{time.strftime('%H:%M:%S')}] {msg}"
    print(line, flush=True)


def heldout_bpb(model, ids, n_bytes, P, eot):
    """Same definition as score_reference.py: S = [eot] + ids, windows of P inputs predicting the next P."""
    S = torch.tensor([eot] + list(ids), dtype=torch.long)
    total = 0.0
    model.eval()
    with torch.no_grad():
        starts = list(range(0, len(S) - 1, P))
        for i in range(0, len(starts), 16):
            xs, ys = [], []
            for s in starts[i:i + 16]:
                x = S[s:s + P]
                y = S[s + 1:s + P + 1]
                xs.append(x)
                ys.append(y)
            L = max(len(x) for x in xs)
            for x, y in zip(xs, ys):
                lp = F.log_softmax(model(x[None]).double(), dim=-1)[0] if len(x) != L else None
                if lp is not None:
                    total += lp.gather(1, y[:, None]).sum().item()
            full = [(x, y) for x, y in zip(xs, ys) if len(x) == L]
            if full:
                X = torch.stack([x for x, _ in full])
                Y = torch.stack([y for _, y in full])
                lp = F.log_softmax(model(X).double(), dim=-1)
                total += lp.gather(2, Y[..., None]).sum().item()
    model.train()
    return -total / math.log(2) / n_bytes, -total / (len(S) - 1)


def write_hf(model, cfg, folder, eot, dtype):
    save_safetensors(os.path.join(folder, "model.safetensors.tmp"), model.hf_state(), dtype)
    os.replace(os.path.join(folder, "model.safetensors.tmp"), os.path.join(folder, "model.safetensors"))
    conf = {
        "model_type": "gpt2",
        "architectures": ["GPT2LMHeadModel"],
        "vocab_size": cfg["vocab_size"],
        "n_positions": cfg["n_positions"],
        "n_ctx": cfg["n_positions"],
        "n_embd": cfg["n_embd"],
        "n_layer": cfg["n_layer"],
        "n_head": cfg["n_head"],
        "n_inner": None,
        "activation_function": "gelu_new",
        "layer_norm_epsilon": cfg["layer_norm_epsilon"],
        "resid_pdrop": cfg["dropout"], "embd_pdrop": cfg["dropout"], "attn_pdrop": cfg["dropout"],
        "initializer_range": 0.02,
        "scale_attn_weights": True,
        "tie_word_embeddings": True,
        "bos_token_id": eot,
        "eos_token_id": eot,
        "torch_dtype": "float32" if dtype == "F32" else "float16",
    }
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(conf, f, indent=2)
    with open(os.path.join(folder, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": eot, "eos_token_id": eot}, f, indent=2)
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "GPT2Tokenizer", "model_max_length": cfg["n_positions"],
                   "bos_token": bpe.EOT, "eos_token": bpe.EOT, "unk_token": bpe.EOT,
                   "add_prefix_space": False, "errors": "replace"}, f, indent=2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=70)
    ap.add_argument("--steps", type=int, default=0, help="fix the number of steps (exact reproduction)")
    ap.add_argument("--n-layer", type=int, default=4)
    ap.add_argument("--n-embd", type=int, default=256)
    ap.add_argument("--n-head", type=int, default=4)
    ap.add_argument("--n-positions", type=int, default=256)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--min-lr-frac", type=float, default=0.1)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--wd", type=float, default=0.1)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--eval-minutes", type=float, default=5)
    ap.add_argument("--ckpt-minutes", type=float, default=10)
    ap.add_argument("--dtype", default="F32", choices=["F32", "F16"])
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--init-from", default="", help="start from the weights of a saved HF folder (continued training)")
    ap.add_argument("--time-only", type=int, default=0, help="time N steps and exit")
    a = ap.parse_args()

    t_start = time.time()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    tok = bpe.Tokenizer(HERE)
    eot = tok.eot_id
    vocab = len(tok.encoder)
    data = torch.from_numpy(np.fromfile(os.path.join(HERE, "work/train.u16"), dtype=np.uint16).astype(np.int64))
    held_text = open(os.path.join(HERE, "heldout.txt"), encoding="utf-8").read()
    held_ids = np.fromfile(os.path.join(HERE, "work/heldout.u16"), dtype=np.uint16).astype(np.int64).tolist()
    held_bytes = len(held_text.replace(bpe.EOT, "").encode("utf-8"))
    cfg = dict(vocab_size=vocab, n_positions=a.n_positions, n_embd=a.n_embd, n_layer=a.n_layer, n_head=a.n_head,
               layer_norm_epsilon=1e-5, dropout=a.dropout)
    model = GPT2(cfg)
    if a.init_from:
        from model import load_safetensors
        model.load_hf_state(load_safetensors(os.path.join(a.init_from, "model.safetensors")))
        log(f"initialised from {a.init_from}")
    n_params = sum(p.numel() for p in model.parameters())
    log(f"config {json.dumps(cfg)} params {n_params} ({n_params/1e6:.2f}M) train_tokens {len(data)} "
        f"heldout_tokens {len(held_ids)} heldout_bytes {held_bytes} args {vars(a)}")

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.wd}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), eps=1e-8)

    T = a.seq
    n_chunks = (len(data) - 1) // T
    g = torch.Generator()

    def batches():
        epoch = 0
        while True:
            g.manual_seed(a.seed * 1000 + epoch)
            perm = torch.randperm(n_chunks, generator=g)
            for i in range(0, n_chunks - a.batch + 1, a.batch):
                idx = perm[i:i + a.batch] * T
                x = torch.stack([data[j:j + T] for j in idx.tolist()])
                y = torch.stack([data[j + 1:j + T + 1] for j in idx.tolist()])
                yield epoch, x, y
            epoch += 1

    budget = a.minutes * 60
    total_steps = a.steps if a.steps else 10 ** 9
    calibrated = bool(a.steps)

    def lr_at(step):
        if step < a.warmup:
            return a.lr * (step + 1) / a.warmup
        pr = min(1.0, (step - a.warmup) / max(1, total_steps - a.warmup))
        return a.lr * (a.min_lr_frac + (1 - a.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * pr)))

    it = batches()
    step = 0
    t_loop = time.time()
    last_eval = last_ckpt = time.time()
    ema = None
    recent = []
    tokens_seen = 0
    while step < total_steps:
        for gp in opt.param_groups:
            gp["lr"] = lr_at(step)
        ts = time.time()
        epoch, x, y = next(it)
        logits = model(x)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens_seen += x.numel()
        dt = time.time() - ts
        recent.append(dt)
        recent = recent[-50:]
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        if a.time_only and step >= a.time_only:
            st = sorted(recent[2:])[len(recent[2:]) // 2]
            log(f"timing: median step {st:.3f}s, {x.numel()/st:.0f} tok/s, loss {loss.item():.3f}")
            return
        elapsed = time.time() - t_start
        if not calibrated and step == 30:
            st = sum(recent[5:]) / len(recent[5:])
            left = budget - elapsed - 60  # reserve for final eval + save
            total_steps = step + int(left / st * 0.95)
            calibrated = True
            log(f"calibrated: {st:.3f}s/step -> total_steps={total_steps}")
        elif calibrated and not a.steps and step % 200 == 0:
            st = sum(recent) / len(recent)
            left = budget - elapsed - 60
            est = step + int(left / st)
            if est < total_steps * 0.97 and est > step:
                total_steps = est
                log(f"re-calibrated (machine slower): total_steps={total_steps}")
        if step % 50 == 0:
            log(f"step {step}/{total_steps} epoch {epoch} loss {loss.item():.4f} ema {ema:.4f} lr {lr_at(step):.2e} "
                f"{x.numel()/ (sum(recent)/len(recent)):.0f} tok/s tokens {tokens_seen}")
        now = time.time()
        if now - last_eval > a.eval_minutes * 60:
            bpb, nll = heldout_bpb(model, held_ids, held_bytes, a.n_positions, eot)
            log(f"eval step {step} heldout bpb {bpb:.4f} nll/token {nll:.4f} (eval {time.time()-now:.0f}s)")
            last_eval = time.time()
        if now - last_ckpt > a.ckpt_minutes * 60:
            write_hf(model, cfg, a.out, eot, a.dtype)
            log(f"checkpoint written at step {step}")
            last_ckpt = time.time()
        if elapsed > budget - 30:
            log("wall-clock budget reached, stopping")
            break
    model.eval()
    write_hf(model, cfg, a.out, eot, a.dtype)
    bpb, nll = heldout_bpb(model, held_ids, held_bytes, a.n_positions, eot)
    log(f"FINAL step {step} heldout bpb {bpb:.4f} nll/token {nll:.4f} tokens_seen {tokens_seen} "
        f"wall {(time.time()-t_start)/60:.1f} min avg {tokens_seen/(time.time()-t_loop):.0f} tok/s")
    for p in ["The meaning of life is", "Once upon a time", "The cat sat on the"]:
        ids = tok.encode(p)
        with torch.no_grad():
            for _ in range(30):
                nxt = int(model(torch.tensor([ids[-a.n_positions:]]))[0, -1].argmax())
                ids.append(nxt)
                if nxt == eot:
                    break
        log(f"greedy: {tok.decode(ids)!r}")


if __name__ == "__main__":
    main()
