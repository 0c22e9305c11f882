#pragma once

// JSON helpers of the tests that compare the CLI with reference cases written
// by a Python script (cases.json, <case>.expected.json, prompts as id lists).
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace beamscope::test {

inline nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

// [1, 2, 3] -> "1,2,3", as --prompt-ids takes them.
inline std::string join_ids(const nlohmann::json& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id.get<int>());
  }
  return out;
}

}  // namespace beamscope::test
