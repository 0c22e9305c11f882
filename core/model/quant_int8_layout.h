#pragma once

// The kernel-ready layout of Q4_K and Q6_K quants for the AVX2 integer
// kernel (quant_int8_avx2.cpp), made once at load: a decode step then loads
// bytes that go straight into vpmaddubsw, with no transpose per block and
// step (see core/model/README.md, "Integer products").
//
// QuantPanels stores a block of `width` columns field by field, each field
// transposed (byte u of column c at (offset + u) * width + c). In this
// layout only the quants change place (the halves and the scale bytes stay
// where they are); the block keeps its size, so weights stay as large as
// the file's. The block is cut in slices of 16 columns and each slice in
// "octets" of 8 columns; a 32-byte vector holds 4 bytes per column of an
// octet (byte 4 c + e: column c, e = 0..3), and each 4 bytes pair with 4
// consecutive activations as QuantizedActivations stores them (its
// kGroupOrder), so one 4-byte broadcast of the activations feeds a whole
// vector. "Position" P below is that storage position in the 256-value
// block: value k of the block sits at P = 8 (k / 8) + position(k % 8).
//  - Q4_K: the 128 nibble bytes (at 16 * width) become, per slice (2048
//    bytes each), vectors (8 i + r) * 2 + h for i < 4, r < 8, octet h: the
//    low nibbles hold sub-block 2 i at positions 64 i + 4 r + e, the high
//    nibbles sub-block 2 i + 1 at 64 i + 32 + 4 r + e (as in the file, a
//    byte pairs sub-blocks 2 i and 2 i + 1).
//  - Q6_K: the 192 bytes of low nibbles and high bit pairs (at 0) become,
//    per slice (3072 bytes), three vectors per 16-value sub-block s and
//    octet h, at 96 (2 s + h): L1 (positions 16 s + e low nibble, + 4 + e
//    high nibble), L2 (+ 8 + e, + 12 + e), H (bits 2 a, 2 a + 1: the two
//    high bits of position 16 s + 4 a + e).
#include <Eigen/Core>
#include <cstdint>

#include "model/gguf/gguf_tensor_type.h"

namespace beamscope::quant_int8 {

using Index = Eigen::Index;

// Whether QuantPanels re-arranges `type`'s blocks of `width` columns this
// way for integer products: in builds with the AVX2 kernel, for Q4_K and
// Q6_K, when width is a multiple of 16 (the portable kernel reads the
// field layout).
bool kernel_layout(GgmlType type, Index width);

// Column c's block as the file holds it (`in`) into a block of `width`
// columns at `block`: the halves and scale bytes in the field layout, the
// quants in the kernel layout (QuantPanels::build, for every column).
void scatter_column(GgmlType type, const std::uint8_t* in, std::uint8_t* block, Index c,
                    Index width);

// A block of `width` columns at `in` (kernel layout) into the field layout
// at `out` (the same size; for decode_panel and column reads).
void from_kernel_layout(GgmlType type, const std::uint8_t* in, std::uint8_t* out, Index width);

}  // namespace beamscope::quant_int8
