#pragma once

#include <cstddef>
#include <memory>

namespace beamscope {

// The attention keys/values of one sequence. Opaque to decoding code: it only
// forks (clone, sharing what it can) when a beam branches, trims (truncate)
// when it backs up, and reorders by moving pointers around. Each LanguageModel makes its own kind.
class KvCache {
 public:
  virtual ~KvCache() = default;
  // Number of positions stored (= tokens already fed to the model).
  virtual int length() const = 0;
  // An independent copy, for a beam that branches (storage that never
  // changes once written may be shared rather than copied).
  virtual std::unique_ptr<KvCache> clone() const = 0;
  // Forget positions >= new_length.
  virtual void truncate(int new_length) = 0;
  // Bytes held, for memory budgets.
  virtual std::size_t bytes() const = 0;
  // Caches may share their storage (a model's caches draw from one page
  // pool, and clones share positions). A budget counts each storage once:
  // storage() names it and storage_bytes() is what it holds in use, for all
  // its caches together. A cache that shares nothing is its own storage.
  virtual const void* storage() const { return this; }
  virtual std::size_t storage_bytes() const { return bytes(); }
};

}  // namespace beamscope
