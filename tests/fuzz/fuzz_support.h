#pragma once

// Shared helpers of the libFuzzer targets (tests/fuzz/fuzz_*.cpp).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace beamscope::fuzz {

// A folder of this process's own under /dev/shm (RAM, so writing one input
// per run costs microseconds), created on first use and removed at exit.
const std::filesystem::path& scratch_dir();

// Writes `bytes` to scratch_dir()/name, replacing it; returns the path.
std::filesystem::path write_scratch_file(std::string_view name, std::string_view bytes);

// The fuzzer's input as a string_view.
inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Stops the fuzzer with a message: a broken invariant (not a sanitizer
// report) is still a finding, and abort() makes libFuzzer save the input.
[[noreturn]] void fail(std::string_view what);

}  // namespace beamscope::fuzz
