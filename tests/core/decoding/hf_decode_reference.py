#!/usr/bin/python3
"""Independent reference for `beamscope-cli decode` / `next` on a GPT-2 folder.

Written from Hugging Face transformers' generation code (the vectorised
`_beam_search` of current transformers, `_sample`, and the logits processors /
warpers in logits_process.py), in PyTorch float64 tensors, NOT from the C++
code: beams are picked with torch.topk over the flattened [num_beams * vocab]
scores with HF's -1e9 masks, exactly as HF's loop does. The GPT-2 forward pass
is the training code of the bundled model (resources/models/beamscope-mini/
model.py), run without a KV cache.

Usage:
  hf_decode_reference.py beam   MODEL IDS NUM_BEAMS MAX_NEW LENGTH_PENALTY EARLY(true|false|never) NRS REP NGRAM
  hf_decode_reference.py greedy MODEL IDS MAX_NEW REP NGRAM
  hf_decode_reference.py next   MODEL IDS TOP TEMPERATURE TOP_K TOP_P MIN_P ORDER(hf|llamacpp)
IDS is comma-separated. Prints JSON.
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "resources", "models", "beamscope-mini"))
from score_reference import load  # noqa: E402

NEG = -1.0e9


def eos_of(folder):
    """The EOS ids as a list (generation_config.json first, as HF's generate
    reads it; Llama 3 lists several), or [] when there is none."""
    for name in ("generation_config.json", "config.json"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with open(path) as f:
                c = json.load(f)
            if c.get("eos_token_id") is not None:
                e = c["eos_token_id"]
                return list(e) if isinstance(e, list) else [e]
    return []


class Lm:
    def __init__(self, folder):
        self.model, self.cfg = load(folder, torch.float64)
        self.V = self.cfg["vocab_size"]

    def logits(self, seqs):
        """[n, V] float64 raw logits of the last position of each sequence."""
        with torch.no_grad():
            return torch.stack([self.model(torch.tensor([s]))[0, -1].double() for s in seqs])


# ---- logits processors (HF RepetitionPenaltyLogitsProcessor, NoRepeatNGramLogitsProcessor)
def repetition_penalty(input_ids, scores, penalty):
    if penalty == 1.0:
        return scores
    scores = scores.clone()
    for i, s in enumerate(input_ids):
        ids = torch.tensor(s)
        g = torch.gather(scores[i], 0, ids)
        g = torch.where(g < 0, g * penalty, g / penalty)
        scores[i] = scores[i].scatter(0, ids, g)
    return scores


def no_repeat_ngram(input_ids, scores, n):
    if n <= 0:
        return scores
    scores = scores.clone()
    for i, s in enumerate(input_ids):
        if len(s) + 1 < n:
            continue
        seen = {}
        for g in zip(*[s[k:] for k in range(n)]):
            seen.setdefault(tuple(g[:-1]), []).append(g[-1])
        for t in seen.get(tuple(s[len(s) - n + 1:]), []):
            scores[i, t] = -math.inf
    return scores


def processors(input_ids, scores, rep, ngram):
    return no_repeat_ngram(input_ids, repetition_penalty(input_ids, scores, rep), ngram)


# ---- strategies
def beam(lm, prompt, nb, max_new, lp, early, nrs, eos, rep, ngram):
    V = lm.V
    # HF: beams_to_keep = max(2, 1 + n_eos_tokens) * num_beams, so that
    # enough candidates stay running however many of them end in an EOS.
    K = max(2, 1 + len(eos)) * nb
    running = [list(prompt) for _ in range(nb)]
    running_scores = torch.tensor([0.0] + [NEG] * (nb - 1), dtype=torch.float64)
    finished = [list(prompt) for _ in range(nb)]
    finished_scores = torch.full((nb,), NEG, dtype=torch.float64)
    is_finished = torch.zeros(nb, dtype=torch.bool)
    unsatisfied = True
    top_mask = torch.arange(K) < nb
    cur = 0  # generated length
    while True:
        log_probs = F.log_softmax(lm.logits(running), dim=-1)
        log_probs = processors(running, log_probs, rep, ngram)
        acc = (log_probs + running_scores[:, None]).reshape(-1)
        top_values, top_index = torch.topk(acc, K)
        cand = [running[int(i) // V] + [int(i) % V] for i in top_index]
        hits = torch.tensor([(c[-1] in eos) or (cur + 1 == max_new) for c in cand])
        # next running beams: best non-finished
        run_values = top_values + hits.double() * NEG
        nxt = torch.topk(run_values, nb).indices
        running = [cand[int(i)] for i in nxt]
        running_scores = run_values[nxt]
        # finished hypotheses
        just = hits & top_mask
        scores = top_values / ((cur + 1) ** lp)
        if bool(is_finished.all()) and early is True:
            scores = scores + NEG
        if not unsatisfied:
            scores = scores + NEG
        scores = scores + (~just).double() * NEG
        merged = finished + cand
        merged_scores = torch.cat([finished_scores, scores])
        merged_flags = torch.cat([is_finished, just])
        keep = torch.topk(merged_scores, nb).indices
        finished = [merged[int(i)] for i in keep]
        finished_scores = merged_scores[keep]
        is_finished = merged_flags[keep]
        cur += 1
        length = max_new if (early == "never" and lp > 0.0) else cur
        best_possible = running_scores[0] / (length ** lp)
        worst = torch.where(is_finished, finished_scores.min(), torch.tensor(NEG, dtype=torch.float64))
        unsatisfied = unsatisfied and bool((best_possible > worst).any())
        exists_open = not (bool(is_finished.all()) and early is True)
        valid = not bool(hits.all())
        if not (unsatisfied and exists_open and valid):
            break
    return [{"token_ids": finished[i][len(prompt):], "score": float(finished_scores[i])} for i in range(nrs)]


def greedy(lm, prompt, max_new, eos, rep, ngram):
    seq = list(prompt)
    score = 0.0
    for _ in range(max_new):
        scores = processors([seq], lm.logits([seq]), rep, ngram)[0]
        t = int(torch.argmax(scores))
        score += float(F.log_softmax(scores, dim=-1)[t])
        seq.append(t)
        if t in eos:
            break
    return [{"token_ids": seq[len(prompt):], "score": score}]


# ---- warpers (HF TemperatureLogitsWarper, TopK, TopP, MinP), one row
def warp(s, T, k, p, min_p, order):
    def temperature(s):
        return s / T if T != 1.0 else s

    def top_k(s):
        if k == 0:
            return s
        kk = min(max(k, 1), s.numel())
        return s.masked_fill(s < torch.topk(s, kk).values[-1], -math.inf)

    def top_p(s):
        if p >= 1.0:
            return s
        sorted_scores, sorted_index = torch.sort(s, descending=False)
        cumulative = sorted_scores.softmax(-1).cumsum(-1)
        remove = cumulative <= (1 - p)
        remove[-1:] = False
        return s.masked_fill(remove.scatter(0, sorted_index, remove), -math.inf)

    def min_p_(s):
        if min_p <= 0.0:
            return s
        probs = s.softmax(-1)
        remove = probs < min_p * probs.max()
        remove[torch.argmax(s)] = False
        return s.masked_fill(remove, -math.inf)

    stages = [temperature, top_k, top_p, min_p_] if order == "hf" else [top_k, top_p, min_p_, temperature]
    for f in stages:
        s = f(s)
    return s


def next_tokens(lm, prompt, top, T, k, p, min_p, order):
    raw = lm.logits([prompt])[0]
    lp = F.log_softmax(raw, dim=-1)
    probs = warp(raw.clone(), T, k, p, min_p, order).softmax(-1)
    ids = sorted(range(lm.V), key=lambda i: (-float(lp[i]), i))[:top]
    return [{"id": i, "logprob": float(lp[i]), "prob": float(probs[i])} for i in ids]


def main():
    mode, folder, ids = sys.argv[1], sys.argv[2], [int(x) for x in sys.argv[3].split(",")]
    a = sys.argv[4:]
    lm = Lm(folder)
    eos = eos_of(folder)
    if mode == "beam":
        early = {"true": True, "false": False, "never": "never"}[a[3]]
        out = {"sequences": beam(lm, ids, int(a[0]), int(a[1]), float(a[2]), early, int(a[4]), eos, float(a[5]),
                                 int(a[6]))}
    elif mode == "greedy":
        out = {"sequences": greedy(lm, ids, int(a[0]), eos, float(a[1]), int(a[2]))}
    else:
        out = {"top": next_tokens(lm, ids, int(a[0]), float(a[1]), int(a[2]), float(a[3]), float(a[4]), a[5])}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
