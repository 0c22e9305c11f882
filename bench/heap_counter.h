#pragma once

#include <cstdint>

namespace beamscope::bench {

// Counts heap allocations (malloc and the aligned allocators, which operator
// new, std::vector and Eigen's aligned_malloc all end up in) while counting
// is on. Benches use it to show that a steady-state step allocates nothing.
// The interposed allocators live in heap_counter.cpp (glibc); link it into
// bench binaries only, never under a sanitizer.
void start_counting_allocations();
// Stops counting; returns the allocations since start_counting_allocations().
std::int64_t stop_counting_allocations();

}  // namespace beamscope::bench
