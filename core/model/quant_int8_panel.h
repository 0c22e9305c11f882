#pragma once

// The per-panel integer kernels behind QuantPanels::multiply_integer: one
// for AVX2 (quant_int8_avx2.cpp), one portable (quant_int8_portable.cpp),
// compiled as the build's instruction set allows; both compute the same
// integers and then the same float operations (see core/model/README.md,
// "Integer products").
#include <Eigen/Core>
#include <cstdint>

#include "model/gguf/gguf_tensor_type.h"
#include "model/quant_activations.h"

namespace beamscope::quant_int8 {

using Index = Eigen::Index;

// Whether this build has the AVX2 kernel (the portable one is used else).
bool vectorized();

// out[t * ldy + c] (+)= sum over k of x[t, k] W[k, c] for c < cols and every
// row t of `x`, for one re-blocked panel of `type` (QuantPanels' layout,
// `width` columns) and x quantized to the blocks `type` pairs with (Q8_0 for
// Q8_0, Q8_K for Q4_K and Q6_K).
void multiply_panel(GgmlType type, const std::uint8_t* panel, Index K, Index width,
                    const QuantizedActivations& x, float* out, Index ldy, Index cols,
                    bool accumulate);

}  // namespace beamscope::quant_int8
