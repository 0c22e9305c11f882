#pragma once

#include <vector>

#include "model/aligned_buffer.h"
#include "model/embedding_table.h"
#include "model/ops/norms.h"
#include "model/panel_matrix.h"

namespace beamscope {

// One block's parameters as the forward pass reads them. Every matrix is a
// PanelMatrix W [in, out] for y = x W; architectures that store separate
// q/k/v (or gate/up) projections are fused into one matrix by their loader,
// so a decode step streams one matrix where a checkpoint has three.
// (C = hidden, H, KV heads of d, F = intermediate.)
struct TransformerLayerWeights {
  ops::NormWeights attn_norm;       // before attention
  ops::NormWeights mlp_norm;        // before the MLP
  ops::NormWeights post_attn_norm;  // kSandwich only: on attention's output
  ops::NormWeights post_mlp_norm;   // kSandwich only: on the MLP's output
  ops::NormWeights q_norm, k_norm;  // [d], when qk_norm
  PanelMatrix qkv;                  // [C, (H + 2KV) d]: q | k | v
  FloatBuffer qkv_bias;             // [(H + 2KV) d] or empty
  PanelMatrix out;                  // [H d, C]
  FloatBuffer out_bias;             // [C] or empty
  PanelMatrix up;                   // kPlain: [C, F]; kGated: [C, 2F] = gate | up
  FloatBuffer up_bias;              // [F] / [2F] or empty
  PanelMatrix down;                 // [F, C]
  FloatBuffer down_bias;            // [C] or empty
};

struct TransformerWeights {
  // Untied token embeddings [V, C]; empty when tied to the head (then token
  // t's embedding is column t of `head`).
  EmbeddingTable embedding;
  FloatBuffer positions;  // kLearned: [P, C]
  std::vector<TransformerLayerWeights> layers;
  ops::NormWeights final_norm;
  PanelMatrix head;  // [C, V]
};

}  // namespace beamscope
