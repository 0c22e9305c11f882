#!/usr/bin/python3
"""Build the beamscope-mini training corpus from Debian packages (installs them if missing).

Sources (all plain English prose, licences recorded in README.md and work/licences.txt):
  wordnet-base  : WordNet 3.0 glosses and example sentences   (/usr/share/wordnet/data.*)
  fortunes, fortunes-min : fortune cookies, non-offensive sets only (/usr/share/games/fortunes/*, not off/)
  jargon-text   : The Jargon File 4.4.7 (public domain)        (/usr/share/doc/jargon-text/jargon.txt.gz)

Every document ends with <|endoftext|>. Documents are shuffled with a fixed seed; a deterministic slice
(first documents of the shuffled order, ~2 %, capped at 250 KB) is held out as heldout.txt.
Outputs: work/train.txt (not committed, reproducible), heldout.txt (committed), work/licences.txt.
"""
import gzip
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
EOT = "<|endoftext|>"
PACKAGES = ["wordnet-base", "fortunes", "fortunes-min", "jargon-text", "python3-regex"]
SEED = 1234
HELDOUT_FRAC = 0.02
HELDOUT_MAX_BYTES = 250_000


def ensure_packages():
    missing = [p for p in PACKAGES if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if not missing:
        return
    cmd = ["apt-get", "install", "-y"] + missing
    if os.geteuid() != 0:
        cmd = ["sudo"] + cmd
    print("installing", missing, file=sys.stderr)
    subprocess.run(cmd, check=True)


QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00b7": "", "\t": " "})


def norm_space(s):
    return re.sub(r"[ ]{2,}", " ", s.translate(QUOTES)).strip()


def sentence(s):
    s = norm_space(s)
    if not s:
        return s
    s = s[0].upper() + s[1:]
    if s[-1] not in ".!?\"')":
        s += "."
    return s


# ---------------------------------------------------------------- WordNet
def wordnet_docs():
    docs = []
    seen = set()
    for pos, fname in (("n", "data.noun"), ("v", "data.verb"), ("a", "data.adj"), ("r", "data.adv")):
        with open(f"/usr/share/wordnet/{fname}", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  ") or " | " not in line:
                    continue
                head, gloss = line.split(" | ", 1)
                fields = head.split()
                lemma = re.sub(r"\([a-z]+\)$", "", fields[4]).replace("_", " ")
                gloss = gloss.strip()
                q = gloss.find('"')
                defn = (gloss if q < 0 else gloss[:q]).strip().rstrip(";").strip()
                examples = re.findall(r'"([^"]+)"', gloss)
                defn = re.sub(r"^\([^)]*\)\s*", "", defn)  # drop leading domain tag like "(physics)"
                if defn and not defn.startswith("("):
                    if pos == "n":
                        d = f"{lemma[0].upper() + lemma[1:]} is {defn}"
                    elif pos == "v":
                        d = f"To {lemma} is to {defn}"
                    else:
                        d = f"{lemma[0].upper() + lemma[1:]} means {defn}"
                    docs.append(sentence(d))
                for e in examples:
                    e = sentence(e)
                    if len(e) > 12 and e not in seen:
                        seen.add(e)
                        docs.append(e)
    return docs


# ---------------------------------------------------------------- fortunes
FORTUNE_SKIP = {"ascii-art", "perl", "translate-me"}


def reflow(text):
    """Join wrapped lines into paragraphs; keep '-- attribution' lines on their own line."""
    paras = re.split(r"\n\s*\n", text)
    out = []
    for p in paras:
        lines = [l.strip() for l in p.split("\n") if l.strip()]
        buf = []
        res = []
        for l in lines:
            if l.startswith("--") and not l.startswith("---"):
                if buf:
                    res.append(" ".join(buf))
                    buf = []
                res.append("-- " + l[2:].strip())
            else:
                buf.append(l)
        if buf:
            res.append(" ".join(buf))
        if res:
            out.append("\n".join(norm_space(r) for r in res))
    return "\n\n".join(out)


def prose_like(t):
    if not t:
        return False
    letters = sum(c.isalpha() or c in " \n.,'\"!?;:-" for c in t)
    return letters / len(t) > 0.9 and not re.search(r"[|_\\/#<>{}=~^*]{3,}|\\$|\$\w", t)


def fortune_docs():
    d = "/usr/share/games/fortunes"
    docs = []
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        if "." in name or name in FORTUNE_SKIP or os.path.islink(p) or not os.path.isfile(p):
            continue
        with open(p, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        for ck in re.split(r"\n%\n", raw):
            ck = ck.strip("\n%")
            if not ck.strip() or len(ck) > 2500:
                continue
            t = reflow(ck.expandtabs(8))
            if prose_like(t) and len(t) > 15:
                docs.append(t)
    return docs


# ---------------------------------------------------------------- Jargon File
def jargon_docs():
    with gzip.open("/usr/share/doc/jargon-text/jargon.txt.gz", "rt", encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    docs = []
    cur = None
    body = []

    def flush():
        if cur is None:
            return
        paras, buf = [], []
        for l in body + [""]:
            if not l.strip():
                if buf:
                    paras.append(" ".join(buf))
                    buf = []
            elif l.startswith("   ") and not l.startswith("    "):
                buf.append(l.strip())
            # deeper-indented lines are preformatted (code, tables, lists of variants): dropped
        keep = []
        for p in paras:
            p = norm_space(p.replace("{", "").replace("}", ""))
            if p.startswith("[") and p.endswith("]"):
                continue
            p = re.sub(r"^\[[^\]]*\]\s*", "", p)
            if re.match(r"^(Next|Prev|Up|Home)\b", p):
                continue
            if prose_like(p) and len(p) > 20:
                keep.append(p)
        if keep:
            text = f"{cur}: " + "\n\n".join(keep)
            docs.append(text[:4000])

    for l in lines:
        m = re.match(r"^   :(.+?):\s*(.*)$", l)
        if m:
            flush()
            cur = norm_space(m.group(1))
            body = []
        elif cur is not None:
            body.append(l)
    flush()
    return docs


def licences():
    out = []
    for p in ["wordnet-base", "fortunes", "fortunes-min", "fortune-mod", "jargon-text"]:
        path = f"/usr/share/doc/{p}/copyright"
        try:
            txt = open(path, encoding="utf-8", errors="replace").read()
        except OSError:
            continue
        lic = sorted(set(re.findall(r"^License:\s*(.+)$", txt, re.M)))
        ver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", p], capture_output=True, text=True).stdout
        out.append(f"== {p} {ver}\nLicense fields: {lic}\n" + txt[:1500] + "\n")
    return "\n".join(out)


def main():
    ensure_packages()
    os.makedirs(WORK, exist_ok=True)
    srcs = {"wordnet": wordnet_docs(), "fortunes": fortune_docs(), "jargon": jargon_docs()}
    docs = []
    for k, v in srcs.items():
        print(f"{k}: {len(v)} docs, {sum(len(x.encode()) for x in v)} bytes", file=sys.stderr)
        docs.extend(v)
    docs = [d.replace(EOT, "") for d in docs]
    random.Random(SEED).shuffle(docs)
    n_hold = int(len(docs) * HELDOUT_FRAC)
    held, size = [], 0
    for d in docs[:n_hold]:
        b = len(d.encode()) + len(EOT)
        if size + b > HELDOUT_MAX_BYTES:
            break
        held.append(d)
        size += b
    train = docs[n_hold:]
    with open(os.path.join(HERE, "heldout.txt"), "w", encoding="utf-8", newline="") as f:
        f.write("".join(d + EOT for d in held))
    with open(os.path.join(WORK, "train.txt"), "w", encoding="utf-8", newline="") as f:
        f.write("".join(d + EOT for d in train))
    with open(os.path.join(WORK, "licences.txt"), "w", encoding="utf-8") as f:
        f.write(licences())
    print(f"train: {len(train)} docs; heldout: {len(held)} docs, {size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
