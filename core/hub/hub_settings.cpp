#include "hub/hub_settings.h"

#include <cctype>
#include <fstream>

#include "util/error.h"

namespace beamscope::hub {

namespace {
std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}
}  // namespace

HubSettings hub_settings_from_environment(const EnvironmentLookup& env) {
  namespace fs = std::filesystem;
  HubSettings settings;
  settings.endpoint = env("HF_ENDPOINT").value_or("https://huggingface.co");
  while (!settings.endpoint.empty() && settings.endpoint.back() == '/')
    settings.endpoint.pop_back();

  const auto home = env("HOME");
  const fs::path default_hf_home = home ? fs::path(*home) / ".cache/huggingface" : fs::path();
  const fs::path hf_home = env("HF_HOME") ? fs::path(*env("HF_HOME")) : default_hf_home;
  if (auto cache = env("HF_HUB_CACHE")) {
    settings.cache = *cache;
  } else if (!hf_home.empty()) {
    settings.cache = hf_home / "hub";
  }

  if (auto token = env("HF_TOKEN")) {
    settings.token = trim(*token);
  } else {
    const fs::path file =
        env("HF_TOKEN_PATH") ? fs::path(*env("HF_TOKEN_PATH")) : hf_home / "token";
    std::ifstream in(file);
    std::string line;
    if (!file.empty() && in && std::getline(in, line) && !trim(line).empty()) {
      settings.token = trim(line);
    }
  }
  if (settings.token && settings.token->empty()) settings.token.reset();
  return settings;
}

void check_repo_id(const std::string& repo_id) {
  const auto bad = [&](const std::string& why) {
    throw Error("'" + repo_id + "' is not a Hugging Face model name (ORG/NAME): " + why + ".");
  };
  if (repo_id.empty() || repo_id.size() > 96) bad("it must have 1 to 96 characters");
  const std::size_t slash = repo_id.find('/');
  if (slash != std::string::npos && repo_id.find('/', slash + 1) != std::string::npos) {
    bad("it has more than one '/'");
  }
  for (char c : repo_id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' &&
        c != '/') {
      bad(std::string("'") + c + "' is not allowed in it");
    }
  }
  for (const std::string part :
       {repo_id.substr(0, slash),
        slash == std::string::npos ? std::string("x") : repo_id.substr(slash + 1)}) {
    if (part.empty()) bad("a part is empty");
    if (part.front() == '-' || part.front() == '.' || part.back() == '-' || part.back() == '.') {
      bad("a part starts or ends with '-' or '.'");
    }
  }
  if (repo_id.find("--") != std::string::npos || repo_id.find("..") != std::string::npos) {
    bad("'--' and '..' are not allowed in it");
  }
}

void check_revision(const std::string& revision) {
  bool ok = !revision.empty() && revision.size() <= 200 && revision.front() != '/' &&
            revision.back() != '/' && revision.find("..") == std::string::npos &&
            revision.find("//") == std::string::npos;
  for (char c : revision) ok = ok && c > ' ' && c < 127 && c != '\\';
  if (!ok) throw Error("'" + revision + "' is not a revision (a branch, tag or commit).");
}

std::filesystem::path repo_cache_folder(const std::filesystem::path& cache,
                                        const std::string& repo_id) {
  std::string name = "models--" + repo_id;
  if (auto slash = name.find('/'); slash != std::string::npos) name.replace(slash, 1, "--");
  return cache / name;
}

}  // namespace beamscope::hub
