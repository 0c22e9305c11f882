#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace beamscope {

class KvCache;

// The KV caches of the token prefixes a CachedLogitsSource has run, in a tree
// keyed by tokens (one node per token; the root is the empty prefix), after
// the radix tree of SGLang's RadixAttention. Only leaves hold a cache: an
// inner node's keys/values are a prefix of any leaf below it, obtained by
// cloning that leaf's cache and truncating it. With a model whose clones
// share storage (TransformerKvCache), the prefixes of a whole decoding tree
// (beams that branch, what-ifs, N samples of one prompt, revisits) hold each
// distinct position's keys/values once.
//
// The longest stored prefix of a sequence is one walk from the root. Under
// a byte budget the least recently used leaves are dropped, each with its
// chain of nodes up to the nearest branch point, until the storage fits.
//
// Not thread-safe (the decoder's thread uses it).
class KvPrefixTree {
 public:
  KvPrefixTree();
  ~KvPrefixTree();
  KvPrefixTree(const KvPrefixTree&) = delete;
  KvPrefixTree& operator=(const KvPrefixTree&) = delete;

  // Length of the longest prefix of `tokens` whose keys/values are stored
  // (0: none). Marks that prefix used.
  std::size_t longest_stored(std::span<const std::int32_t> tokens);
  // A new cache holding the first `length` positions of `tokens`; that
  // prefix must be stored (length <= longest_stored(tokens)), length > 0.
  std::unique_ptr<KvCache> cache_for(std::span<const std::int32_t> tokens, std::size_t length);
  // Stores `kv`, the cache of `tokens` (kv->length() == tokens.size()).
  // If that prefix is stored already, the old keys/values are kept.
  void store(std::span<const std::int32_t> tokens, std::unique_ptr<KvCache> kv);
  // The cache of the first `length` tokens itself, if a leaf holds it (so no
  // other stored prefix runs through it), else null: a decode step may
  // append one position to it in place and then call extend() — no clone,
  // nothing freed. A caller whose step fails truncates it back to `length`.
  KvCache* own_cache_at(std::span<const std::int32_t> tokens, std::size_t length);
  // After a step appended tokens.back() to own_cache_at(tokens, size - 1):
  // the cache moves to a new leaf for the whole of `tokens`.
  void extend(std::span<const std::int32_t> tokens);

  // Bytes of the stored caches' storage, each shared storage counted once.
  std::size_t bytes() const;
  // Drops least recently used leaves until bytes() <= budget or one leaf is left.
  void evict_to(std::size_t budget);
  // Prefix positions stored (nodes below the root): the distinct tokens.
  std::size_t positions() const { return nodes_; }
  void clear();

 private:
  struct Node;
  Node* walk(std::span<const std::int32_t> tokens, std::size_t& depth);
  void drop_leaf(Node* leaf);
  void release_holder(Node* n);

  std::unique_ptr<Node> root_;
  std::vector<Node*> holders_;  // the nodes holding a cache: the leaves
  std::size_t nodes_ = 0;
  std::uint64_t clock_ = 0;
};

}  // namespace beamscope
