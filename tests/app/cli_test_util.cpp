#include "app/cli_test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace beamscope::test {

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

CliResult run_cli(const std::vector<std::string>& args) { return run_program(BEAMSCOPE_CLI, args); }

CliResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::vector<std::string>& unset_env) {
  // fork/exec rather than system(): arguments reach the program unquoted and
  // byte-exact (prompts with spaces, quotes, non-UTF-8 bytes).
  const auto dir = std::filesystem::temp_directory_path();
  const auto tag = std::to_string(::getpid()) + "-" + std::to_string(std::rand());
  const auto out_path = dir / ("bscli-out-" + tag);
  const auto err_path = dir / ("bscli-err-" + tag);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    FILE* out = std::freopen(out_path.c_str(), "wb", stdout);
    FILE* err = std::freopen(err_path.c_str(), "wb", stderr);
    if (!out || !err) _exit(127);
    for (const std::string& name : unset_env) unsetenv(name.c_str());
    std::vector<char*> argv;
    std::string exe = program;
    argv.push_back(exe.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return r;
}

}  // namespace beamscope::test
