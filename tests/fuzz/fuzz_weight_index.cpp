// Fuzzes model.safetensors.index.json: the input becomes the index of a
// scratch folder that holds one small valid shard ("a.safetensors", tensor
// "x"), so the fuzzer can reach both the index checks and the shard
// cross-checks. Finding = crash, sanitizer report, hang, or an exception
// other than beamscope::Error.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "model/weight_files.h"
#include "util/error.h"

namespace {

// One F32 tensor "x" of shape [1]: an 8-byte header length, the header, 4 bytes.
std::string tiny_shard() {
  const std::string header = R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return bytes + header + std::string(4, '\0');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  static const bool shard_written = [] {
    fuzz::write_scratch_file("a.safetensors", tiny_shard());
    return true;
  }();
  (void)shard_written;
  fuzz::write_scratch_file("model.safetensors.index.json", fuzz::as_view(data, size));
  try {
    const WeightFiles files = WeightFiles::open_folder(fuzz::scratch_dir());
    for (const auto& [name, entry] : files.tensors()) {
      if (!entry.file || !entry.tensor || entry.tensor->name != name) {
        fuzz::fail("an index entry points at the wrong tensor");
      }
    }
    (void)files.dtype();
  } catch (const Error&) {
  }
  return 0;
}
