#include "model/weight_files.h"

#include <nlohmann/json.hpp>
#include <set>

#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

namespace {

// A shard name from the index must be a plain file name: "../x" or "/etc/x"
// would read outside the model folder.
bool is_plain_file_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
}

}  // namespace

WeightFiles::WeightFiles(std::unique_ptr<SafetensorsFile> file) { add(std::move(file), {}); }

void WeightFiles::add(std::unique_ptr<SafetensorsFile> file, const std::string& index) {
  paths_.push_back(file->path().string());
  for (const SafetensorsTensor& t : file->tensors()) {
    auto [it, inserted] = tensors_.try_emplace(t.name, Entry{file.get(), &t});
    if (!inserted) {
      throw Error((index.empty() ? file->path().string() : index) + ": tensor '" + t.name +
                  "' is in two shards, " + it->second.file->path().filename().string() + " and " +
                  file->path().filename().string() + ".");
    }
  }
  files_.push_back(std::move(file));
}

WeightFiles WeightFiles::open_folder(const std::filesystem::path& dir) {
  std::error_code ec;
  const auto single = dir / "model.safetensors";
  const auto index_path = dir / "model.safetensors.index.json";
  WeightFiles weights;
  if (!std::filesystem::is_regular_file(index_path, ec)) {
    if (!std::filesystem::is_regular_file(single, ec)) {
      throw Error(dir.string() +
                  " has no model.safetensors or model.safetensors.index.json (only safetensors "
                  "weights are supported).");
    }
    weights.add(std::make_unique<SafetensorsFile>(single), {});
    return weights;
  }
  const std::string where = index_path.string();
  const nlohmann::json index = read_json_file(index_path);
  const auto map_it = index.is_object() ? index.find("weight_map") : index.end();
  if (!index.is_object() || map_it == index.end() || !map_it->is_object() || map_it->empty()) {
    throw Error(where + ": has no \"weight_map\" object naming each tensor's shard.");
  }
  // Shard -> the tensors the index puts there, shards in first-mention order.
  std::vector<std::string> shards;
  std::map<std::string, std::set<std::string>> listed;
  for (const auto& [name, shard] : map_it->items()) {
    if (!shard.is_string() || !is_plain_file_name(shard.get<std::string>())) {
      throw Error(where + ": the shard of tensor '" + name +
                  "' must be a file name in the model folder.");
    }
    const std::string file = shard.get<std::string>();
    if (!listed.count(file)) shards.push_back(file);
    listed[file].insert(name);
  }
  weights.paths_.push_back(where);
  for (const std::string& shard : shards) {
    const auto path = dir / shard;
    if (!std::filesystem::is_regular_file(path, ec)) {
      throw Error(where + ": names shard " + shard + ", which is not in " + dir.string() + ".");
    }
    weights.add(std::make_unique<SafetensorsFile>(path), where);
  }
  for (const auto& [shard, names] : listed) {
    for (const std::string& name : names) {
      const Entry* e = weights.find(name);
      if (!e) {
        throw Error(where + ": puts tensor '" + name + "' in " + shard +
                    ", which does not hold it.");
      }
      if (e->file->path().filename() != shard) {
        throw Error(where + ": puts tensor '" + name + "' in " + shard + ", but it is in " +
                    e->file->path().filename().string() + ".");
      }
    }
  }
  return weights;
}

const WeightFiles::Entry* WeightFiles::find(std::string_view name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

std::string WeightFiles::dtype() const {
  std::string dtype;
  for (const auto& [name, e] : tensors_) {
    const SafetensorsDtype d = e.tensor->dtype;
    if (d != SafetensorsDtype::F32 && d != SafetensorsDtype::F16 && d != SafetensorsDtype::BF16) {
      continue;
    }
    const std::string this_one(dtype_name(d));
    if (dtype.empty()) dtype = this_one;
    if (dtype != this_one) return "mixed";
  }
  return dtype;
}

}  // namespace beamscope
