#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/gguf/gguf_tensor_type.h"
#include "model/mapped_file.h"

namespace beamscope {

// One metadata value of a GGUF file. Scalars are held widened (integers as
// 64-bit, floats as double); an array keeps its element type, its count and
// where its elements lie in the mapped file, already walked once so every
// string in it is known to be in bounds.
struct GgufValue {
  enum class Type : std::uint32_t {
    kU8 = 0,
    kI8 = 1,
    kU16 = 2,
    kI16 = 3,
    kU32 = 4,
    kI32 = 5,
    kF32 = 6,
    kBool = 7,
    kString = 8,
    kArray = 9,
    kU64 = 10,
    kI64 = 11,
    kF64 = 12,
  };
  Type type = Type::kU8;
  std::int64_t integer = 0;  // every integer type and bool (a U64 above 2^63 is refused)
  double real = 0;           // F32, F64
  std::string_view text;     // kString (points into the mapped file)
  // kArray: the element type, count and first byte of the elements.
  Type element = Type::kU8;
  std::uint64_t count = 0;
  std::size_t offset = 0;

  bool is_integer() const;
  bool is_real() const { return type == Type::kF32 || type == Type::kF64; }
};

// One tensor as the file describes it. GGML counts dimensions fastest first:
// dims[0] is the length of a row (a linear layer's input width), dims[1] the
// number of rows (its output width), as llama.cpp stores every weight.
struct GgufTensor {
  std::string name;
  std::vector<std::uint64_t> dims;
  GgmlType type = GgmlType::kF32;
  std::uint64_t elements = 0;
  std::size_t offset = 0;  // absolute, in the file
  std::size_t bytes = 0;
};

// A GGUF (version 2 or 3) file, memory-mapped and checked before anything is
// handed out: magic and version; every count, string length and array length
// against the bytes left (so a huge count cannot make us allocate or loop
// beyond the file); value types; general.alignment a power of two; tensor
// names unique, 1 to 4 dimensions each at least 1, element counts and byte
// sizes computed with overflow checks, rows a whole number of blocks of the
// tensor's type, offsets aligned, and every tensor's bytes inside the file
// and apart from every other's. Errors are one beamscope::Error sentence
// naming the file.
class GgufFile {
 public:
  explicit GgufFile(const std::filesystem::path& path);
  // Parses bytes already in memory (the fuzz target); `name` names them.
  GgufFile(std::span<const std::byte> bytes, std::string name);

  const std::string& name() const { return name_; }
  std::uint32_t version() const { return version_; }
  std::span<const std::byte> bytes() const { return bytes_; }

  const GgufValue* find(std::string_view key) const;
  const std::vector<GgufTensor>& tensors() const { return tensors_; }
  const GgufTensor* tensor(std::string_view name) const;

  // Typed accessors: nullopt when absent; an Error naming the key when
  // present with the wrong type.
  std::optional<std::string> string(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key) const;
  std::optional<double> real(std::string_view key) const;  // integers widen
  std::optional<bool> boolean(std::string_view key) const;
  // Array accessors: the whole array (empty optional when absent).
  std::optional<std::vector<std::string_view>> strings(std::string_view key) const;
  std::optional<std::vector<double>> reals(std::string_view key) const;
  std::optional<std::vector<std::int64_t>> integers(std::string_view key) const;

  // The tensor's bytes (checked at open).
  std::span<const std::byte> data(const GgufTensor& t) const {
    return bytes_.subspan(t.offset, t.bytes);
  }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  void parse();

  std::optional<MappedFile> mapped_;
  std::span<const std::byte> bytes_;
  std::string name_;
  std::uint32_t version_ = 0;
  std::map<std::string, GgufValue, std::less<>> values_;
  std::vector<GgufTensor> tensors_;
  std::map<std::string, std::size_t, std::less<>> index_;  // name -> tensors_ index
};

}  // namespace beamscope
