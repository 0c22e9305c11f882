#include "model/architectures/tensor_loader.h"

#include <algorithm>
#include <cstring>

#include "util/error.h"

namespace beamscope {

TensorLoader::TensorLoader(const WeightFiles& files, std::vector<std::string> prefixes,
                           const ProgressFn& progress)
    : files_(files), prefixes_(std::move(prefixes)), progress_(progress) {
  for (const auto& [name, e] : files_.tensors()) total_bytes_ += e.tensor->end - e.tensor->begin;
  if (progress_ && !progress_(0.0, "Loading weights")) throw Cancelled();
}

bool TensorLoader::has(const std::string& name) const {
  if (files_.find(name)) return true;
  for (const std::string& p : prefixes_) {
    if (files_.find(p + name)) return true;
  }
  return false;
}

const WeightFiles::Entry& TensorLoader::resolve(const std::string& name) const {
  const WeightFiles::Entry* found = files_.find(name);
  for (const std::string& p : prefixes_) {
    const WeightFiles::Entry* e = files_.find(p + name);
    if (e && found) {
      throw Error(e->file->path().string() + ": holds both '" + found->tensor->name + "' and '" +
                  e->tensor->name + "'; it is unclear which to use.");
    }
    if (e) found = e;
  }
  if (!found) {
    const std::string where = files_.paths().empty() ? "the weights" : files_.paths().back();
    // Named as a Hugging Face checkpoint spells it (with the first prefix).
    throw Error(where + ": tensor '" + (prefixes_.empty() ? name : prefixes_.front() + name) +
                "' is missing.");
  }
  return *found;
}

void TensorLoader::read_into(const WeightFiles::Entry& e, const Shape& shape,
                             std::span<float> out) {
  check_and_count(e, shape);
  e.file->read_floats(*e.tensor, out);
}

void TensorLoader::check_and_count(const WeightFiles::Entry& e, const Shape& shape) {
  const SafetensorsTensor& t = *e.tensor;
  const std::string where = e.file->path().string();
  if (t.dtype != SafetensorsDtype::F32 && t.dtype != SafetensorsDtype::F16 &&
      t.dtype != SafetensorsDtype::BF16) {
    throw Error(where + ": tensor '" + t.name + "' has dtype " + std::string(dtype_name(t.dtype)) +
                "; model weights must be F32, F16 or BF16.");
  }
  if (t.shape != shape) {
    throw Error(where + ": tensor '" + t.name + "' has shape " + shape_to_string(t.shape) +
                " but the config needs " + shape_to_string(shape) + ".");
  }
  used_.insert(t.name);
  done_bytes_ += t.end - t.begin;
  if (progress_ && !progress_(total_bytes_ ? static_cast<double>(done_bytes_) / total_bytes_ : 1.0,
                              "Loading weights")) {
    throw Cancelled();
  }
}

FloatBuffer TensorLoader::read(const std::string& name, const Shape& shape) {
  const WeightFiles::Entry& e = resolve(name);
  std::uint64_t n = 1;
  for (auto d : shape) n *= d;
  // The shape is checked before this allocation grows to what the file says.
  if (e.tensor->shape != shape) read_into(e, shape, {});
  FloatBuffer out(n);
  read_into(e, shape, out);
  return out;
}

PanelMatrix TensorLoader::linear(const std::vector<std::string>& names,
                                 const std::vector<std::uint64_t>& outs, std::uint64_t in) {
  std::uint64_t total = 0;
  for (auto o : outs) total += o;
  std::vector<const WeightFiles::Entry*> entries;
  for (std::size_t i = 0; i < names.size(); ++i) {
    entries.push_back(&resolve(names[i]));
    if (entries.back()->tensor->shape != Shape{outs[i], in})
      read_into(*entries.back(), {outs[i], in}, {});
  }
  // All of one 16-bit dtype (a BF16 or F16 checkpoint): their bits are
  // stacked and packed as they are (see PanelMatrix's 16-bit packers).
  const SafetensorsDtype dtype = entries.front()->tensor->dtype;
  const bool halves = (dtype == SafetensorsDtype::F16 || dtype == SafetensorsDtype::BF16) &&
                      std::all_of(entries.begin(), entries.end(), [&](const WeightFiles::Entry* e) {
                        return e->tensor->dtype == dtype && e->tensor->shape.size() == 2;
                      });
  if (halves) {
    // Packed straight from the mapped files (a stacked copy first was a
    // tenth of a BF16 model's load).
    // A file whose header length leaves a tensor at an odd address (legal,
    // if unusual) has that tensor copied to aligned memory first.
    const auto odd = [](std::span<const std::byte> raw) {
      return reinterpret_cast<std::uintptr_t>(raw.data()) % alignof(std::uint16_t) != 0;
    };
    std::vector<std::span<const std::byte>> raws;
    std::uint64_t odd_values = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
      check_and_count(*entries[i], {outs[i], in});
      raws.push_back(entries[i]->file->raw(*entries[i]->tensor));
      if (odd(raws.back())) odd_values += outs[i] * in;
    }
    stacked_bits_.resize(odd_values);  // before any pointer into it is taken
    std::vector<PanelMatrix::HalvesPart> parts;
    std::uint16_t* copy = stacked_bits_.data();
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto* rows = reinterpret_cast<const std::uint16_t*>(raws[i].data());
      if (odd(raws[i])) {
        std::memcpy(copy, raws[i].data(), raws[i].size());
        rows = copy;
        copy += outs[i] * in;
      }
      parts.push_back({rows, static_cast<PanelMatrix::Index>(outs[i])});
    }
    return PanelMatrix::from_transposed(
        parts,
        dtype == SafetensorsDtype::F16 ? PanelMatrix::Storage::kF16 : PanelMatrix::Storage::kBF16,
        static_cast<PanelMatrix::Index>(in), arena_);
  }
  stacked_.resize(total * in);  // [sum outs, in] = W^T
  std::uint64_t row = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    read_into(*entries[i], {outs[i], in},
              std::span<float>(stacked_).subspan(row * in, outs[i] * in));
    row += outs[i];
  }
  return pack_transposed(stacked_.data(), in, total);
}

PanelMatrix TensorLoader::pack_transposed(const float* w_t, std::uint64_t in, std::uint64_t out) {
  return PanelMatrix::from_transposed(w_t, static_cast<PanelMatrix::Index>(in),
                                      static_cast<PanelMatrix::Index>(out), arena_);
}

FloatBuffer TensorLoader::biases(const std::vector<std::string>& names,
                                 const std::vector<std::uint64_t>& outs) {
  std::uint64_t total = 0;
  for (auto o : outs) total += o;
  FloatBuffer out(total);
  std::uint64_t at = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const FloatBuffer part = read(names[i], {outs[i]});
    std::copy(part.begin(), part.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
    at += outs[i];
  }
  return out;
}

EmbeddingTable TensorLoader::embedding(const std::string& name, std::uint64_t rows,
                                       std::uint64_t cols) {
  const FloatBuffer values = read(name, {rows, cols});
  return EmbeddingTable(values.data(), static_cast<std::int64_t>(rows),
                        static_cast<std::int64_t>(cols));
}

void TensorLoader::check_all_used(const std::function<bool(const std::string&)>& ignored,
                                  const std::string& model) const {
  for (const auto& [name, e] : files_.tensors()) {
    if (used_.count(name) || ignored(name)) continue;
    throw Error(e.file->path().string() + ": tensor '" + name + "' is not part of " + model + ".");
  }
}

}  // namespace beamscope
