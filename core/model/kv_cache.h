#pragma once

#include <memory>

namespace beamscope {

// The attention keys/values of one sequence. Opaque to decoding code: it only
// forks (clone) when a beam branches, trims (truncate) when it backs up, and
// reorders by moving pointers around. Each LanguageModel makes its own kind.
class KvCache {
 public:
  virtual ~KvCache() = default;
  // Number of positions stored (= tokens already fed to the model).
  virtual int length() const = 0;
  // Deep copy, for a beam that branches.
  virtual std::unique_ptr<KvCache> clone() const = 0;
  // Forget positions >= new_length.
  virtual void truncate(int new_length) = 0;
  // Bytes held, for memory budgets.
  virtual std::size_t bytes() const = 0;
};

}  // namespace beamscope
