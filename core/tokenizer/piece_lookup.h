#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace beamscope {

// Vocabulary piece -> id, looked up by string_view so an encoder can ask for
// a slice of its text without building a string first.
class PieceLookup {
 public:
  // Keeps the first id given for a piece (files may repeat a piece; the
  // lowest id is the one encoders have always returned).
  void insert_if_absent(const std::string& piece, std::int32_t id) { ids_.emplace(piece, id); }

  std::optional<std::int32_t> find(std::string_view piece) const {
    auto it = ids_.find(piece);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> ids_;
};

}  // namespace beamscope
