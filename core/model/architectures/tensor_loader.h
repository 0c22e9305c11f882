#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "model/aligned_buffer.h"
#include "model/embedding_table.h"
#include "model/panel_matrix.h"
#include "model/weight_files.h"
#include "util/progress.h"

namespace beamscope {

// Reads an architecture's tensors by name out of WeightFiles, one at a
// time (so the peak is one tensor as floats beside the packed weights),
// checking each one's dtype (F32, F16, BF16) and shape against the config
// before its data is touched. Names are tried bare and with each of
// `prefixes` (a checkpoint saved from the bare model lacks "model."). Errors
// name the shard, the tensor and what was expected.
class TensorLoader {
 public:
  using Shape = std::vector<std::uint64_t>;

  TensorLoader(const WeightFiles& files, std::vector<std::string> prefixes,
               const ProgressFn& progress);

  bool has(const std::string& name) const;
  // The tensor as floats, row-major.
  FloatBuffer read(const std::string& name, const Shape& shape);
  // A torch.nn.Linear weight [out, in] (or several, stacked: q | k | v,
  // gate | up) packed as W [in, sum of outs] for y = x W.
  PanelMatrix linear(const std::vector<std::string>& names, const std::vector<std::uint64_t>& outs,
                     std::uint64_t in);
  // Packs W^T [out, in] rows the caller prepared (a fused tensor it
  // reordered) into this load's arena.
  PanelMatrix pack_transposed(const float* w_t, std::uint64_t in, std::uint64_t out);
  // Biases of the same stack, concatenated.
  FloatBuffer biases(const std::vector<std::string>& names, const std::vector<std::uint64_t>& outs);
  EmbeddingTable embedding(const std::string& name, std::uint64_t rows, std::uint64_t cols);

  // Every tensor not read must be one `ignored` accepts; else an Error
  // naming it (a checkpoint with more layers than the config, a typo).
  void check_all_used(const std::function<bool(const std::string&)>& ignored,
                      const std::string& model) const;

 private:
  const WeightFiles::Entry& resolve(const std::string& name) const;
  void read_into(const WeightFiles::Entry& e, const Shape& shape, std::span<float> out);
  // Checks dtype and shape, marks the tensor used and reports progress;
  // read_into does this and converts.
  void check_and_count(const WeightFiles::Entry& e, const Shape& shape);

  const WeightFiles& files_;
  std::vector<std::string> prefixes_;
  ProgressFn progress_;
  std::set<std::string> used_;
  std::uint64_t total_bytes_ = 0, done_bytes_ = 0;
  // The packed matrices of this load (see PanelArena), and the floats of
  // the matrix being packed: one buffer reused, so its pages are fresh once.
  PanelArena arena_;
  FloatBuffer stacked_;
  std::vector<std::uint16_t> stacked_bits_;  // 16-bit tensors at odd addresses, copied
};

}  // namespace beamscope
