"""A stand-in for the Hugging Face Hub on 127.0.0.1, for the download tests.

It speaks the part of the Hub's protocol Beamscope uses, written from the
Hub's documented behaviour (huggingface_hub's file_download.py):
  GET  /api/models/ORG/NAME/revision/REV[?blobs=true]  -> {"sha", "siblings": [{"rfilename", "size", "lfs"}]}
  HEAD|GET /ORG/NAME/resolve/REV/FILE
      small files: 200, ETag = git blob SHA-1, X-Repo-Commit
      LFS files (*.safetensors, *.gguf, *.bin): 302 to a CDN on another origin
      ("localhost" instead of "127.0.0.1"), X-Linked-Etag = SHA-256, X-Linked-Size
  GET|HEAD /cdn/SHA256  the bytes, with Range
Refusals carry X-Error-Code / X-Error-Message as the Hub's do.

Options: --repo ORG/NAME=DIR (public), --gated ORG/NAME=DIR (needs
"Authorization: Bearer <--token>"), --corrupt ORG/NAME=DIR (the CDN serves
LFS files with one byte changed), --cut-once (the first CDN answer of each
blob stops half way and closes the connection), --token T.
GET /_log returns every request seen (method, path, Range, Authorization, Host).
Prints "PORT <n>" first, then serves until killed.
"""
import argparse
import hashlib
import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LFS_SUFFIXES = (".safetensors", ".gguf", ".bin")


class Repo:
    def __init__(self, repo_id, folder, gated=False, corrupt=False):
        self.repo_id, self.gated, self.corrupt = repo_id, gated, corrupt
        self.commit = hashlib.sha1(("commit of " + repo_id).encode()).hexdigest()
        self.files = {}
        for root, _, names in os.walk(folder):
            for name in sorted(names):
                full = os.path.join(root, name)
                rel = os.path.relpath(full, folder).replace(os.sep, "/")
                with open(full, "rb") as f:
                    self.files[rel] = f.read()

    @staticmethod
    def is_lfs(name):
        return name.endswith(LFS_SUFFIXES)

    def etag(self, name):
        data = self.files[name]
        if self.is_lfs(name):
            return hashlib.sha256(data).hexdigest()
        return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Hub:
    def __init__(self, args):
        self.repos, self.blobs = {}, {}
        self.token, self.cut_once, self.cut_done = args.token, args.cut_once, set()
        self.log, self.lock = [], threading.Lock()
        for kind in ("repo", "gated", "corrupt"):
            for spec in getattr(args, kind) or []:
                repo_id, folder = spec.split("=", 1)
                repo = Repo(repo_id, folder, gated=kind == "gated", corrupt=kind == "corrupt")
                self.repos[repo_id] = repo
                for name, data in repo.files.items():
                    if Repo.is_lfs(name):
                        served = data
                        if repo.corrupt:
                            served = bytes([data[0] ^ 0xFF]) + data[1:]
                        self.blobs[repo.etag(name)] = served


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    @property
    def hub(self):
        return self.server.hub

    def answer(self, status, body=b"", headers=(), content_type="application/octet-stream"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def refuse(self, status, code, message):
        body = json.dumps({"error": message}).encode()
        self.answer(status, body, [("X-Error-Code", code), ("X-Error-Message", message)],
                    "application/json")

    def send_bytes(self, data, headers, cut=False):
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= len(data):
                return self.answer(416, b"")
            headers = list(headers) + [("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))]
        part = data[start:]
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(part)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command == "HEAD":
            return
        if cut:
            self.wfile.write(part[: len(part) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(part)

    def find_repo(self, repo_id):
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            self.refuse(404, "RepoNotFound", "Repository not found")
            return None
        if repo.gated and self.headers.get("Authorization") != "Bearer %s" % self.hub.token:
            self.refuse(401, "GatedRepo", "Access to model %s is restricted" % repo_id)
            return None
        return repo

    def route(self):
        parsed = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parsed.path)
        with self.hub.lock:
            self.hub.log.append({"method": self.command, "path": path, "range": self.headers.get("Range"),
                                 "authorization": self.headers.get("Authorization"),
                                 "host": self.headers.get("Host")})
        if path == "/_log":
            with self.hub.lock:
                return self.answer(200, json.dumps(self.hub.log).encode(), content_type="application/json")
        parts = path.strip("/").split("/")
        if path.startswith("/api/models/") and len(parts) >= 6 and parts[4] == "revision":
            repo = self.find_repo(parts[2] + "/" + parts[3])
            if repo is None:
                return
            if "/".join(parts[5:]) not in ("main", repo.commit):
                return self.refuse(404, "RevisionNotFound", "Invalid rev id")
            siblings = []
            for name, data in sorted(repo.files.items()):
                entry = {
  "rfilename" : name, "size" : len(data), "blobId" : repo.etag(name)}
                if Repo.is_lfs(name):
                    entry["size"] = 134
                    entry["lfs"] = {"sha256": repo.etag(name), "size": len(data), "pointerSize": 134}
                siblings.append(entry)
            body = json.dumps({"id": repo.repo_id, "sha": repo.commit, "siblings": siblings}).encode()
            return self.answer(200, body, content_type="application/json")
        if path.startswith("/cdn/") and len(parts) == 2:
            data = self.hub.blobs.get(parts[1])
            if data is None:
                return self.answer(404, b"no such blob")
            cut = False
            if self.hub.cut_once and self.command == "GET":
                with self.hub.lock:
                    cut = parts[1] not in self.hub.cut_done
                    self.hub.cut_done.add(parts[1])
            return self.send_bytes(data, [], cut=cut)
        if len(parts) >= 5 and parts[2] == "resolve":
            repo = self.find_repo(parts[0] + "/" + parts[1])
            if repo is None:
                return
            if parts[3] not in ("main", repo.commit):
                return self.refuse(404, "RevisionNotFound", "Invalid rev id")
            name = "/".join(parts[4:])
            if name not in repo.files:
                return self.refuse(404, "EntryNotFound", "Entry not found")
            etag = repo.etag(name)
            headers = [("X-Repo-Commit", repo.commit), ("ETag", '"%s"' % etag)]
            if Repo.is_lfs(name):
                port = self.server.server_address[1]
                headers += [("X-Linked-Etag", '"%s"' % etag), ("X-Linked-Size", str(len(repo.files[name]))),
                            ("Location", "http://localhost:%d/cdn/%s?signature=made-up" % (port, etag))]
                return self.answer(302, b"", headers)
            return self.send_bytes(repo.files[name], headers)
        return self.answer(404, b"no such route")

    do_GET = route
    do_HEAD = route


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", action="append")
    parser.add_argument("--gated", action="append")
    parser.add_argument("--corrupt", action="append")
    parser.add_argument("--cut-once", action="store_true")
    parser.add_argument("--token", default="hf_test_token")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.hub = Hub(args)
    print("PORT %d" % server.server_address[1], flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
