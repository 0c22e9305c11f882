#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/mapped_file.h"

namespace beamscope {

// Element types a safetensors header may name. All are accepted when the file
// is opened (so a file that also carries, say, an I64 buffer still opens);
// only F32, F16 and BF16 can be read as floats — asking for another one is
// an Error then.
enum class SafetensorsDtype {
  F64,
  F32,
  F16,
  BF16,
  I64,
  I32,
  I16,
  I8,
  U64,
  U32,
  U16,
  U8,
  Bool,
  F8E4M3,
  F8E5M2
};

std::string_view dtype_name(SafetensorsDtype dtype);
std::size_t dtype_size(SafetensorsDtype dtype);

struct SafetensorsTensor {
  std::string name;
  SafetensorsDtype dtype;
  std::vector<std::uint64_t> shape;
  std::uint64_t element_count = 0;
  // Byte range inside the data section (after the 8-byte length and header).
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

// A memory-mapped .safetensors file whose header has been checked against
// every rule of the format before anything is handed out:
//   - file >= 8 bytes; header length N (u64 LE) <= 100 MB and 8 + N <= file size;
//   - header is valid UTF-8 and a JSON object;
//   - every entry has a known dtype, a shape of non-negative integers and
//     data_offsets [b, e] with b <= e;
//   - e - b == product(shape) * dtype size (overflow-checked);
//   - the ranges, sorted, tile the data section from 0 to its end with no gap
//     or overlap, and the data section ends exactly at the end of the file;
//   - "__metadata__", if present, maps strings to strings.
// Errors are beamscope::Error naming the file, the tensor and the rule.
class SafetensorsFile {
 public:
  explicit SafetensorsFile(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return file_.path(); }
  // In header order sorted by name (deterministic).
  const std::vector<SafetensorsTensor>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  // nullptr when absent.
  const SafetensorsTensor* find(std::string_view name) const;

  // The raw little-endian bytes of a tensor (not necessarily aligned).
  std::span<const std::byte> raw(const SafetensorsTensor& tensor) const;
  // Converts a F32/F16/BF16 tensor to float32 into `out`, which must hold
  // exactly element_count values.
  void read_floats(const SafetensorsTensor& tensor, std::span<float> out) const;

 private:
  MappedFile file_;
  std::uint64_t data_start_ = 0;
  std::vector<SafetensorsTensor> tensors_;
  std::map<std::string, std::string> metadata_;
};

// "[48, 144]"
std::string shape_to_string(std::span<const std::uint64_t> shape);

}  // namespace beamscope
