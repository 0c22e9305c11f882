#pragma once

#include <string>

#include "model/architectures/architecture.h"
#include "model/architectures/tensor_loader.h"
#include "model/transformer_config.h"
#include "model/transformer_weights.h"

namespace beamscope {

// The tensor names Llama introduced and Mistral, Qwen2/3 and Gemma 2/3
// share ("model." prefix optional):
//   embed_tokens.weight                      [V, C]
//   layers.N.input_layernorm.weight          [C]
//   layers.N.self_attn.{q,k,v}_proj.weight   [H d | KV d | KV d, C] (+ .bias)
//   layers.N.self_attn.{q,k}_norm.weight     [d]        (qk_norm)
//   layers.N.self_attn.o_proj.weight         [C, H d]   (+ .bias)
//   layers.N.post_attention_layernorm.weight [C]        (Gemma: on attention's output)
//   layers.N.pre_feedforward_layernorm.weight, post_feedforward_layernorm.weight (Gemma)
//   layers.N.mlp.{gate,up}_proj.weight       [F, C]     (+ .bias)
//   layers.N.mlp.down_proj.weight            [C, F]     (+ .bias)
//   norm.weight                              [C]
//   lm_head.weight                           [V, C]     (absent when tied)
TransformerWeights load_llama_layout(const TransformerConfig& config, TensorLoader& tensors);

// Per-layer sliding windows from "layer_types" (["sliding_attention",
// "full_attention", ...]) when the config has it; false when it does not.
bool read_layer_types(const class ConfigReader& config, TransformerConfig& c, int window,
                      int local_rope);

}  // namespace beamscope
