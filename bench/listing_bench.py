#!/usr/bin/env python3
"""How long `beamscope-cli models` takes on a few hundred models, beside a
plain recursive listing of the same tree (`ls -lR`, which stats every entry
but opens no file), in the same run.

    bench/listing_bench.py BEAMSCOPE_CLI [N_MODELS]   (default 300)

Lays out N Hugging Face cache repositories under a temporary HOME, each as
the Hub leaves them (blobs/ + snapshots/REV/ links + refs/main), holding the
bundled model's config, tokenizer and safetensors (hard links to one copy, so
the tree is small on disk but every header is really read). Prints one
Markdown table row: the medians of 7 runs of each (wall-clock and CPU time), and checks that
`models` listed every model.
"""
import hashlib
import resource
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLED = os.path.join(ROOT, "resources", "models", "beamscope-mini")
FILES = ["config.json", "generation_config.json", "tokenizer_config.json", "vocab.json",
         "merges.txt", "model.safetensors"]


def lay_out(home, n):
    hub = os.path.join(home, ".cache", "huggingface", "hub")
    originals = os.path.join(home, "originals")
    os.makedirs(originals)
    for f in FILES:
        shutil.copy(os.path.join(BUNDLED, f), originals)
    for i in range(n):
        repo = os.path.join(hub, "models--bench-org--model-%03d" % i)
        commit = hashlib.sha1(b"%d" % i).hexdigest()
        snapshot = os.path.join(repo, "snapshots", commit)
        os.makedirs(snapshot)
        os.makedirs(os.path.join(repo, "blobs"))
        os.makedirs(os.path.join(repo, "refs"))
        with open(os.path.join(repo, "refs", "main"), "w") as out:
            out.write(commit)
        for f in FILES:
            etag = hashlib.sha1(("%d/%s" % (i, f)).encode()).hexdigest()
            os.link(os.path.join(originals, f), os.path.join(repo, "blobs", etag))
            os.symlink("../../blobs/" + etag, os.path.join(snapshot, f))
    return hub


def median_seconds(command, env, runs=7):
    """(wall, CPU) medians: CPU time (user + system of the child) is what a
    busy shared machine distorts least."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main():
    cli = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    with tempfile.TemporaryDirectory() as home:
        hub = lay_out(home, n)
        env = {k: v for k, v in os.environ.items()
               if k not in ("HF_HOME", "HF_HUB_CACHE", "OLLAMA_MODELS", "LLAMA_CACHE")}
        env["HOME"] = home
        listed = subprocess.run([cli, "models"], env=env, check=True, capture_output=True, text=True)
        count = listed.stdout.count('"source":"huggingface"')
        if count != n:
            sys.exit("models listed %d of the %d models laid out" % (count, n))
        ours = median_seconds([cli, "models"], env)
        ls = median_seconds(["ls", "-lR", hub], env)
        print("| listing %d Hub-cache models | `beamscope-cli models`: %.0f ms wall, %.0f ms CPU "
              "| `ls -lR` of the same tree: %.0f ms wall, %.0f ms CPU |"
              % (n, ours[0] * 1000, ours[1] * 1000, ls[0] * 1000, ls[1] * 1000))


if __name__ == "__main__":
    main()
