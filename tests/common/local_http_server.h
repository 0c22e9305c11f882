#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

extern char** environ;

namespace beamscope::test {

// A server script started for one test on 127.0.0.1: Python's http.server
// by default, or another interpreter (node for llama_cpp_server.mjs). The
// script binds port 0, prints "PORT <n>" as its first line, then serves until
// it is killed (here, when this object goes). `ok()` is false when the
// interpreter or the script could not start; the test then reports a missing
// reference.
class LocalHttpServer {
 public:
  LocalHttpServer(const std::string& script, const std::vector<std::string>& args = {},
                  const std::vector<std::string>& interpreter = {BEAMSCOPE_PYTHON, "-u"}) {
    int out[2];
    if (pipe(out) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> argv_text = interpreter;
    argv_text.push_back(script);
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    // posix_spawnp: "node" is found on PATH like a shell would.
    const int spawned =
        posix_spawnp(&pid_, argv_text.front().c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned != 0) {
      pid_ = 0;
      close(out[0]);
      return;
    }
    // The first line says where it listens; a script that failed says nothing.
    FILE* from_server = fdopen(out[0], "r");
    char line[128] = {0};
    if (from_server != nullptr && std::fgets(line, sizeof line, from_server) != nullptr) {
      int port = 0;
      if (std::sscanf(line, "PORT %d", &port) == 1) port_ = port;
    }
    if (from_server != nullptr) std::fclose(from_server);
  }
  ~LocalHttpServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  std::string url(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  pid_t pid_ = 0;
  int port_ = 0;
};

}  // namespace beamscope::test
