#include "model/gguf/gguf_file.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "util/error.h"

namespace beamscope {

namespace {

constexpr std::uint64_t kMaxTensors = 1u << 20;
constexpr std::uint64_t kMaxValues = 1u << 20;
constexpr std::uint64_t kMaxKeyLength = 1u << 16;
constexpr std::uint32_t kMaxDims = 4;
constexpr std::uint64_t kDefaultAlignment = 32;
constexpr std::uint64_t kMaxAlignment = 1u << 20;

std::size_t scalar_size(GgufValue::Type t) {
  switch (t) {
    case GgufValue::Type::kU8:
    case GgufValue::Type::kI8:
    case GgufValue::Type::kBool:
      return 1;
    case GgufValue::Type::kU16:
    case GgufValue::Type::kI16:
      return 2;
    case GgufValue::Type::kU32:
    case GgufValue::Type::kI32:
    case GgufValue::Type::kF32:
      return 4;
    case GgufValue::Type::kU64:
    case GgufValue::Type::kI64:
    case GgufValue::Type::kF64:
      return 8;
    default:
      return 0;  // string, array: variable
  }
}

const char* type_name(GgufValue::Type t) {
  static const char* names[] = {"u8",   "i8",     "u16",   "i16", "u32", "i32", "f32",
                                "bool", "string", "array", "u64", "i64", "f64"};
  const auto i = static_cast<std::uint32_t>(t);
  return i < 13 ? names[i] : "unknown";
}

// A cursor over the file's bytes that refuses to read past the end.
class Reader {
 public:
  Reader(const GgufFile& file, std::span<const std::byte> bytes) : file_(file), bytes_(bytes) {}

  std::size_t at() const { return at_; }
  std::size_t left() const { return bytes_.size() - at_; }
  void need(std::uint64_t n, const std::string& what) const {
    if (n > left()) file_.fail("is truncated: " + what + " runs past the end of the file");
  }
  template <typename T>
  T get(const std::string& what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, bytes_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  void skip(std::uint64_t n, const std::string& what) {
    need(n, what);
    at_ += static_cast<std::size_t>(n);
  }
  std::string_view string(const std::string& what) {
    const auto n = get<std::uint64_t>(what + "'s length");
    need(n, what + " (" + std::to_string(n) + " bytes)");
    std::string_view s(reinterpret_cast<const char*>(bytes_.data() + at_),
                       static_cast<std::size_t>(n));
    at_ += static_cast<std::size_t>(n);
    return s;
  }
  GgufValue::Type type(const std::string& what) {
    const auto t = get<std::uint32_t>(what + "'s type");
    if (t > 12) file_.fail("gives " + what + " the unknown value type " + std::to_string(t));
    return static_cast<GgufValue::Type>(t);
  }

  // One value of type `t`; arrays are walked, not copied.
  GgufValue value(GgufValue::Type t, const std::string& what, bool in_array) {
    GgufValue v;
    v.type = t;
    switch (t) {
      case GgufValue::Type::kU8:
        v.integer = get<std::uint8_t>(what);
        break;
      case GgufValue::Type::kI8:
        v.integer = get<std::int8_t>(what);
        break;
      case GgufValue::Type::kU16:
        v.integer = get<std::uint16_t>(what);
        break;
      case GgufValue::Type::kI16:
        v.integer = get<std::int16_t>(what);
        break;
      case GgufValue::Type::kU32:
        v.integer = get<std::uint32_t>(what);
        break;
      case GgufValue::Type::kI32:
        v.integer = get<std::int32_t>(what);
        break;
      case GgufValue::Type::kI64:
        v.integer = get<std::int64_t>(what);
        break;
      case GgufValue::Type::kU64: {
        const auto u = get<std::uint64_t>(what);
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
          file_.fail("gives " + what + " the value " + std::to_string(u) + ", which is too large");
        v.integer = static_cast<std::int64_t>(u);
        break;
      }
      case GgufValue::Type::kBool: {
        const auto b = get<std::uint8_t>(what);
        if (b > 1) file_.fail("gives " + what + " the boolean byte " + std::to_string(b));
        v.integer = b;
        break;
      }
      case GgufValue::Type::kF32:
        v.real = get<float>(what);
        break;
      case GgufValue::Type::kF64:
        v.real = get<double>(what);
        break;
      case GgufValue::Type::kString:
        v.text = string(what);
        break;
      case GgufValue::Type::kArray: {
        if (in_array) file_.fail("nests an array inside the array " + what);
        v.element = type(what + "'s elements");
        v.count = get<std::uint64_t>(what + "'s length");
        v.offset = at_;
        if (const std::size_t size = scalar_size(v.element)) {
          // count * size <= left() without overflow.
          if (v.count > left() / size)
            file_.fail("is truncated: the array " + what + " of " + std::to_string(v.count) + " " +
                       type_name(v.element) + " runs past the end of the file");
          at_ += static_cast<std::size_t>(v.count * size);
        } else {
          // Strings: each at least 8 bytes, so a count beyond left()/8 is a lie.
          if (v.element == GgufValue::Type::kArray)
            file_.fail("nests an array inside the array " + what);
          if (v.count > left() / 8)
            file_.fail("is truncated: the array " + what + " claims " + std::to_string(v.count) +
                       " strings, more than the file could hold");
          for (std::uint64_t i = 0; i < v.count; ++i) string(what + "[" + std::to_string(i) + "]");
        }
        break;
      }
    }
    return v;
  }

 private:
  const GgufFile& file_;
  std::span<const std::byte> bytes_;
  std::size_t at_ = 0;
};

}  // namespace

bool GgufValue::is_integer() const {
  switch (type) {
    case Type::kU8:
    case Type::kI8:
    case Type::kU16:
    case Type::kI16:
    case Type::kU32:
    case Type::kI32:
    case Type::kU64:
    case Type::kI64:
      return true;
    default:
      return false;
  }
}

GgufFile::GgufFile(const std::filesystem::path& path) : mapped_(MappedFile(path)) {
  bytes_ = mapped_->bytes();
  name_ = path.string();
  parse();
}

GgufFile::GgufFile(std::span<const std::byte> bytes, std::string name)
    : bytes_(bytes), name_(std::move(name)) {
  parse();
}

void GgufFile::fail(const std::string& what) const { throw Error(name_ + " " + what + "."); }

void GgufFile::parse() {
  Reader r(*this, bytes_);
  if (bytes_.size() < 4 || std::memcmp(bytes_.data(), "GGUF", 4) != 0)
    fail("is not a GGUF file (it does not start with the magic bytes \"GGUF\")");
  r.skip(4, "the magic");
  version_ = r.get<std::uint32_t>("the version");
  if (version_ != 2 && version_ != 3)
    fail("is GGUF version " + std::to_string(version_) + "; only versions 2 and 3 are supported");
  const auto n_tensors = r.get<std::uint64_t>("the tensor count");
  const auto n_values = r.get<std::uint64_t>("the metadata count");
  if (n_tensors > kMaxTensors)
    fail("claims " + std::to_string(n_tensors) + " tensors, more than the " +
         std::to_string(kMaxTensors) + " supported");
  if (n_values > kMaxValues)
    fail("claims " + std::to_string(n_values) + " metadata entries, more than the " +
         std::to_string(kMaxValues) + " supported");

  for (std::uint64_t i = 0; i < n_values; ++i) {
    const std::string where = "metadata entry " + std::to_string(i);
    const std::string_view key = r.string(where + "'s key");
    if (key.empty() || key.size() > kMaxKeyLength) fail("has an empty or overlong key in " + where);
    std::string quoted(1, '\'');  // (not "'" + ...: GCC 12 warns falsely on it)
    quoted.append(key).push_back('\'');
    const GgufValue::Type t = r.type(quoted);
    GgufValue v = r.value(t, quoted, false);
    if (!values_.emplace(std::string(key), v).second) fail("repeats the metadata key " + quoted);
  }

  std::uint64_t alignment = kDefaultAlignment;
  if (const GgufValue* a = find("general.alignment")) {
    if (!a->is_integer() || a->integer <= 0 ||
        a->integer > static_cast<std::int64_t>(kMaxAlignment) ||
        (a->integer & (a->integer - 1)) != 0)
      fail("has a general.alignment that is not a power of two up to " +
           std::to_string(kMaxAlignment));
    alignment = static_cast<std::uint64_t>(a->integer);
  }

  tensors_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n_tensors, r.left() / 24)));
  std::vector<std::uint64_t> relative;
  for (std::uint64_t i = 0; i < n_tensors; ++i) {
    GgufTensor t;
    t.name = std::string(r.string("tensor " + std::to_string(i) + "'s name"));
    const std::string q = "tensor '" + t.name + "'";
    if (t.name.empty() || t.name.size() > kMaxKeyLength)
      fail("has an empty or overlong name for tensor " + std::to_string(i));
    const auto n_dims = r.get<std::uint32_t>(q + "'s dimension count");
    if (n_dims < 1 || n_dims > kMaxDims)
      fail("gives " + q + " " + std::to_string(n_dims) + " dimensions (1 to 4 are allowed)");
    t.elements = 1;
    for (std::uint32_t d = 0; d < n_dims; ++d) {
      const auto n = r.get<std::uint64_t>(q + "'s dimensions");
      if (n == 0 || n > (std::uint64_t(1) << 40) || t.elements > (std::uint64_t(1) << 40) / n)
        fail("gives " + q + " the dimension " + std::to_string(n) +
             ", which is zero or makes the tensor impossibly large");
      t.elements *= n;
      t.dims.push_back(n);
    }
    const auto type = r.get<std::uint32_t>(q + "'s type");
    const auto info = ggml_type_info(type);
    if (!info) fail("gives " + q + " the unknown tensor type " + std::to_string(type));
    t.type = static_cast<GgmlType>(type);
    if (t.dims[0] % info->block != 0)
      fail("gives " + q + " rows of " + std::to_string(t.dims[0]) +
           " values, not a whole number of " + info->name + " blocks of " +
           std::to_string(info->block));
    // elements < 2^40 and block_bytes <= 292: no overflow.
    t.bytes = static_cast<std::size_t>(t.elements / info->block * info->block_bytes);
    const auto offset = r.get<std::uint64_t>(q + "'s offset");
    if (offset % alignment != 0)
      fail("gives " + q + " the offset " + std::to_string(offset) +
           ", not a multiple of the alignment " + std::to_string(alignment));
    relative.push_back(offset);
    if (!index_.emplace(t.name, static_cast<std::size_t>(i)).second)
      fail("holds two tensors named '" + t.name + "'");
    tensors_.push_back(std::move(t));
  }

  // The data section starts at the next multiple of the alignment.
  const std::uint64_t header_end = r.at();
  const std::uint64_t data_start = (header_end + alignment - 1) / alignment * alignment;
  if (data_start > bytes_.size() && !tensors_.empty())
    fail("is truncated: it ends before its tensor data begins");
  std::vector<std::size_t> order(tensors_.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    GgufTensor& t = tensors_[i];
    const std::uint64_t size = bytes_.size();
    if (relative[i] > size || data_start > size - relative[i] ||
        t.bytes > size - data_start - relative[i])
      fail("is truncated: tensor '" + t.name + "' (" + std::to_string(t.bytes) +
           " bytes at offset " + std::to_string(relative[i]) + ") runs past the end of the file");
    t.offset = static_cast<std::size_t>(data_start + relative[i]);
    order[i] = i;
  }
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return tensors_[a].offset < tensors_[b].offset; });
  for (std::size_t i = 1; i < order.size(); ++i) {
    const GgufTensor& prev = tensors_[order[i - 1]];
    const GgufTensor& next = tensors_[order[i]];
    if (prev.offset + prev.bytes > next.offset)
      fail("has overlapping tensors: '" + prev.name + "' and '" + next.name + "' share bytes");
  }
}

const GgufValue* GgufFile::find(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

const GgufTensor* GgufFile::tensor(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

std::optional<std::string> GgufFile::string(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != GgufValue::Type::kString)
    fail("has a '" + std::string(key) + "' that is not a string");
  return std::string(v->text);
}

std::optional<std::int64_t> GgufFile::integer(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_integer()) fail("has a '" + std::string(key) + "' that is not an integer");
  return v->integer;
}

std::optional<double> GgufFile::real(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (v->is_integer()) return static_cast<double>(v->integer);
  if (!v->is_real()) fail("has a '" + std::string(key) + "' that is not a number");
  return v->real;
}

std::optional<bool> GgufFile::boolean(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != GgufValue::Type::kBool)
    fail("has a '" + std::string(key) + "' that is not a boolean");
  return v->integer != 0;
}

namespace {

const GgufValue* array_of(const GgufFile& f, std::string_view key) {
  const GgufValue* v = f.find(key);
  if (v && v->type != GgufValue::Type::kArray)
    f.fail("has a '" + std::string(key) + "' that is not an array");
  return v;
}

}  // namespace

std::optional<std::vector<std::string_view>> GgufFile::strings(std::string_view key) const {
  const GgufValue* v = array_of(*this, key);
  if (!v) return std::nullopt;
  if (v->element != GgufValue::Type::kString)
    fail("has a '" + std::string(key) + "' that is not an array of strings");
  Reader r(*this, bytes_.subspan(v->offset));  // walked once already: in bounds
  std::vector<std::string_view> out;
  out.reserve(static_cast<std::size_t>(v->count));
  for (std::uint64_t i = 0; i < v->count; ++i) out.push_back(r.string(std::string(key)));
  return out;
}

std::optional<std::vector<double>> GgufFile::reals(std::string_view key) const {
  const GgufValue* v = array_of(*this, key);
  if (!v) return std::nullopt;
  Reader r(*this, bytes_.subspan(v->offset));
  if (v->element != GgufValue::Type::kF32 && v->element != GgufValue::Type::kF64)
    fail("has a '" + std::string(key) + "' that is not an array of floats");
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(v->count));
  for (std::uint64_t i = 0; i < v->count; ++i)
    out.push_back(r.value(v->element, std::string(key), true).real);
  return out;
}

std::optional<std::vector<std::int64_t>> GgufFile::integers(std::string_view key) const {
  const GgufValue* v = array_of(*this, key);
  if (!v) return std::nullopt;
  GgufValue probe;
  probe.type = v->element;
  if (!probe.is_integer() && v->element != GgufValue::Type::kBool)
    fail("has a '" + std::string(key) + "' that is not an array of integers");
  Reader r(*this, bytes_.subspan(v->offset));
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(v->count));
  for (std::uint64_t i = 0; i < v->count; ++i)
    out.push_back(r.value(v->element, std::string(key), true).integer);
  return out;
}

}  // namespace beamscope
