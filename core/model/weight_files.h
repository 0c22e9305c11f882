#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/safetensors.h"

namespace beamscope {

// The safetensors weights of a model folder: model.safetensors, or the
// shards that model.safetensors.index.json maps tensor names to. Checked as
// hostile before anything is read: every shard the index names exists and
// is a file inside the folder, every tensor the index lists is in the shard
// it names, and no tensor is in two shards. Errors name the file.
class WeightFiles {
 public:
  // One tensor and the shard that holds it.
  struct Entry {
    const SafetensorsFile* file = nullptr;
    const SafetensorsTensor* tensor = nullptr;
  };

  static WeightFiles open_folder(const std::filesystem::path& dir);
  // One file on its own (tests, fuzzing).
  explicit WeightFiles(std::unique_ptr<SafetensorsFile> file);

  // nullptr when absent.
  const Entry* find(std::string_view name) const;
  // Every tensor of every shard, by name.
  const std::map<std::string, Entry, std::less<>>& tensors() const { return tensors_; }
  // The files read: the index (if any) first, then the shards in order.
  const std::vector<std::string>& paths() const { return paths_; }
  // "F32", "F16", "BF16", or "mixed" when the floating-point tensors differ.
  std::string dtype() const;

 private:
  WeightFiles() = default;
  void add(std::unique_ptr<SafetensorsFile> file, const std::string& index);

  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::map<std::string, Entry, std::less<>> tensors_;
  std::vector<std::string> paths_;
};

}  // namespace beamscope
