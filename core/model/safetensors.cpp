#include "model/safetensors.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <nlohmann/json.hpp>
#include <numeric>

#include "model/half_float.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

// The format is little-endian; so are all targets we build for, which lets
// us memcpy elements straight out of the mapping.
static_assert(std::endian::native == std::endian::little,
              "safetensors reader assumes little-endian");

namespace {

constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;  // the format's own limit

struct DtypeEntry {
  std::string_view name;
  SafetensorsDtype dtype;
  std::size_t size;
};
constexpr DtypeEntry kDtypes[] = {
    {"F64", SafetensorsDtype::F64, 8},        {"F32", SafetensorsDtype::F32, 4},
    {"F16", SafetensorsDtype::F16, 2},        {"BF16", SafetensorsDtype::BF16, 2},
    {"I64", SafetensorsDtype::I64, 8},        {"I32", SafetensorsDtype::I32, 4},
    {"I16", SafetensorsDtype::I16, 2},        {"I8", SafetensorsDtype::I8, 1},
    {"U64", SafetensorsDtype::U64, 8},        {"U32", SafetensorsDtype::U32, 4},
    {"U16", SafetensorsDtype::U16, 2},        {"U8", SafetensorsDtype::U8, 1},
    {"BOOL", SafetensorsDtype::Bool, 1},      {"F8_E4M3", SafetensorsDtype::F8E4M3, 1},
    {"F8_E5M2", SafetensorsDtype::F8E5M2, 1},
};

const DtypeEntry* find_dtype(std::string_view name) {
  for (const auto& e : kDtypes) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
// Returns the offset of the first bad byte, or npos.
std::size_t find_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra;
    std::uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + extra >= s.size()) return i;  // truncated sequence
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    const std::uint32_t min_for_length[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += extra + 1;
  }
  return std::string_view::npos;
}

// a * b, or false on uint64 overflow.
bool checked_mul(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
  return !__builtin_mul_overflow(a, b, &out);
}

std::string offsets_to_string(std::uint64_t b, std::uint64_t e) {
  return "[" + std::to_string(b) + ", " + std::to_string(e) + "]";
}

}  // namespace

std::string_view dtype_name(SafetensorsDtype dtype) {
  for (const auto& e : kDtypes) {
    if (e.dtype == dtype) return e.name;
  }
  return "?";
}

std::size_t dtype_size(SafetensorsDtype dtype) {
  for (const auto& e : kDtypes) {
    if (e.dtype == dtype) return e.size;
  }
  return 0;
}

std::string shape_to_string(std::span<const std::uint64_t> shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path) : file_(path) {
  const std::string file = path.string();
  const auto bytes = file_.bytes();
  if (bytes.size() < 8) {
    throw Error(file + ": is not a safetensors file: it has " + std::to_string(bytes.size()) +
                " bytes, fewer than the 8-byte header length.");
  }
  std::uint64_t header_len = 0;
  std::memcpy(&header_len, bytes.data(), 8);
  if (header_len > kMaxHeaderBytes) {
    throw Error(file + ": header length " + std::to_string(header_len) +
                " exceeds the 100 MB limit of the safetensors format.");
  }
  if (header_len > bytes.size() - 8) {
    throw Error(file + ": header length " + std::to_string(header_len) +
                " runs past the end of the file (" + std::to_string(bytes.size()) + " bytes).");
  }
  data_start_ = 8 + header_len;
  const std::uint64_t data_size = bytes.size() - data_start_;

  const std::string_view header(reinterpret_cast<const char*>(bytes.data()) + 8, header_len);
  if (auto bad = find_invalid_utf8(header); bad != std::string_view::npos) {
    throw Error(file + ": header is not valid UTF-8 (bad byte at header offset " +
                std::to_string(bad) + ").");
  }
  const nlohmann::json json = parse_json_text(header, file + ": header");
  if (!json.is_object()) throw Error(file + ": header is not a JSON object.");

  for (const auto& [name, entry] : json.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) throw Error(file + ": __metadata__ is not a JSON object.");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) {
          throw Error(file + ": __metadata__ entry '" + key + "' is not a string.");
        }
        metadata_[key] = value.get<std::string>();
      }
      continue;
    }
    const std::string where = file + ": tensor '" + name + "'";
    if (!entry.is_object()) throw Error(where + " is not a JSON object.");
    SafetensorsTensor t;
    t.name = name;

    auto dtype_it = entry.find("dtype");
    if (dtype_it == entry.end() || !dtype_it->is_string()) {
      throw Error(where + " has no dtype string.");
    }
    const auto dtype_str = dtype_it->get<std::string>();
    const DtypeEntry* dtype = find_dtype(dtype_str);
    if (!dtype) throw Error(where + " has unknown dtype '" + dtype_str + "'.");
    t.dtype = dtype->dtype;

    auto shape_it = entry.find("shape");
    if (shape_it == entry.end() || !shape_it->is_array()) {
      throw Error(where + " has no shape array.");
    }
    t.element_count = 1;
    bool overflow = false;
    for (const auto& dim : *shape_it) {
      if (!dim.is_number_unsigned()) {
        throw Error(where + " has a shape entry " + json_value_for_message(dim) +
                    " that is not a non-negative integer.");
      }
      const auto d = dim.get<std::uint64_t>();
      t.shape.push_back(d);
      overflow = overflow || !checked_mul(t.element_count, d, t.element_count);
    }

    auto offsets_it = entry.find("data_offsets");
    if (offsets_it == entry.end() || !offsets_it->is_array() || offsets_it->size() != 2 ||
        !(*offsets_it)[0].is_number_unsigned() || !(*offsets_it)[1].is_number_unsigned()) {
      throw Error(where + " has no data_offsets pair [begin, end] of non-negative integers.");
    }
    t.begin = (*offsets_it)[0].get<std::uint64_t>();
    t.end = (*offsets_it)[1].get<std::uint64_t>();
    if (t.begin > t.end) {
      throw Error(where + " has data_offsets " + offsets_to_string(t.begin, t.end) +
                  " whose begin is after its end.");
    }
    std::uint64_t needed = 0;
    overflow = overflow || !checked_mul(t.element_count, dtype->size, needed);
    if (overflow) {
      throw Error(where + " has shape " + shape_to_string(t.shape) + " whose byte size overflows.");
    }
    if (t.end - t.begin != needed) {
      throw Error(where + " has data_offsets " + offsets_to_string(t.begin, t.end) + " (" +
                  std::to_string(t.end - t.begin) + " bytes) but shape " +
                  shape_to_string(t.shape) + " of " + dtype_str + " needs " +
                  std::to_string(needed) + " bytes.");
    }
    tensors_.push_back(std::move(t));
  }

  // The byte ranges must tile the data section exactly: anything else means
  // hidden bytes or two tensors sharing storage.
  std::vector<const SafetensorsTensor*> by_offset;
  for (const auto& t : tensors_) by_offset.push_back(&t);
  std::sort(by_offset.begin(), by_offset.end(), [](const auto* a, const auto* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  std::uint64_t expected = 0;
  const SafetensorsTensor* previous = nullptr;
  for (const auto* t : by_offset) {
    if (t->begin > expected) {
      throw Error(file + ": tensor '" + t->name + "' starts at data offset " +
                  std::to_string(t->begin) + " but the previous data ends at " +
                  std::to_string(expected) + " (a gap of unused bytes).");
    }
    if (t->begin < expected) {
      throw Error(file + ": tensor '" + t->name + "' with data_offsets " +
                  offsets_to_string(t->begin, t->end) + " overlaps tensor '" + previous->name +
                  "' which ends at " + std::to_string(expected) + ".");
    }
    expected = t->end;
    previous = t;
  }
  if (expected != data_size) {
    throw Error(file + ": the tensors cover " + std::to_string(expected) +
                " data bytes but the file holds " + std::to_string(data_size) +
                " bytes after the header (data must end exactly at the end of the file).");
  }
  std::sort(tensors_.begin(), tensors_.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
}

const SafetensorsTensor* SafetensorsFile::find(std::string_view name) const {
  auto it =
      std::lower_bound(tensors_.begin(), tensors_.end(), name,
                       [](const SafetensorsTensor& t, std::string_view n) { return t.name < n; });
  return it != tensors_.end() && it->name == name ? &*it : nullptr;
}

std::span<const std::byte> SafetensorsFile::raw(const SafetensorsTensor& tensor) const {
  // Ranges were validated against the file size in the constructor.
  return file_.bytes().subspan(data_start_ + tensor.begin, tensor.end - tensor.begin);
}

void SafetensorsFile::read_floats(const SafetensorsTensor& tensor, std::span<float> out) const {
  const std::string where = path().string() + ": tensor '" + tensor.name + "'";
  if (out.size() != tensor.element_count) {
    throw Error(where + " has " + std::to_string(tensor.element_count) + " elements, expected " +
                std::to_string(out.size()) + ".");
  }
  const auto src = raw(tensor);
  const std::byte* p = src.data();
  // An empty tensor has nothing to copy, and memcpy must not be handed the
  // null pointers an empty span or vector may hold (found by fuzzing).
  const bool is_float = tensor.dtype == SafetensorsDtype::F32 ||
                        tensor.dtype == SafetensorsDtype::F16 ||
                        tensor.dtype == SafetensorsDtype::BF16;
  if (src.empty() && is_float) return;
  switch (tensor.dtype) {
    case SafetensorsDtype::F32:
      std::memcpy(out.data(), p, src.size());
      return;
    case SafetensorsDtype::F16:
      for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        out[i] = f16_to_f32(h);
      }
      return;
    case SafetensorsDtype::BF16:
      for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint16_t b;
        std::memcpy(&b, p + 2 * i, 2);
        out[i] = bf16_to_f32(b);
      }
      return;
    default:
      throw Error(where + " has dtype " + std::string(dtype_name(tensor.dtype)) +
                  ", which cannot be read as floats (supported: F32, F16, BF16).");
  }
}

}  // namespace beamscope
