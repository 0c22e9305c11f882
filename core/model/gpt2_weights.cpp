#include "model/gpt2_weights.h"

#include <set>

#include "model/safetensors.h"
#include "util/error.h"

namespace beamscope {

namespace {

constexpr std::string_view kPrefix = "transformer.";

// True for the attention-mask buffers ("h.N.attn.bias", "h.N.attn.masked_bias")
// that old exports store next to the weights; they are constants, not parameters.
bool is_ignored_buffer(std::string_view name) {
  if (name.starts_with(kPrefix)) name.remove_prefix(kPrefix.size());
  if (!name.starts_with("h.")) return false;
  name.remove_prefix(2);
  std::size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') ++digits;
  if (digits == 0) return false;
  name.remove_prefix(digits);
  return name == ".attn.bias" || name == ".attn.masked_bias";
}

void check_cancel(const ProgressFn& progress, double fraction, std::string_view what) {
  if (progress && !progress(fraction, what)) throw Cancelled();
}

// splitmix64: fast, good enough for filler weights, reproducible everywhere.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [-1, 1).
  float symmetric() { return static_cast<float>(next() >> 40) * (2.0f / 16777216.0f) - 1.0f; }
};

}  // namespace

std::size_t Gpt2Weights::bytes() const {
  std::size_t n = wte.size() + wpe.size() + ln_f_weight.size() + ln_f_bias.size() + lm_head.size();
  for (const auto& l : layers) {
    n += l.ln_1_weight.size() + l.ln_1_bias.size() + l.attn_weight.size() + l.attn_bias.size() +
         l.attn_proj_weight.size() + l.attn_proj_bias.size() + l.ln_2_weight.size() +
         l.ln_2_bias.size() + l.mlp_fc_weight.size() + l.mlp_fc_bias.size() +
         l.mlp_proj_weight.size() + l.mlp_proj_bias.size();
  }
  return n * sizeof(float);
}

void for_each_gpt2_tensor(const Gpt2Config& config, Gpt2Weights& w,
                          const Gpt2TensorVisitor& visit) {
  using Shape = std::vector<std::uint64_t>;
  const std::uint64_t C = config.n_embd, F = config.n_inner, V = config.vocab_size,
                      P = config.n_positions;
  visit("wte.weight", Shape{V, C}, w.wte);
  visit("wpe.weight", Shape{P, C}, w.wpe);
  w.layers.resize(config.n_layer);
  for (int i = 0; i < config.n_layer; ++i) {
    auto& l = w.layers[i];
    const std::string h = "h." + std::to_string(i) + ".";
    visit(h + "ln_1.weight", Shape{C}, l.ln_1_weight);
    visit(h + "ln_1.bias", Shape{C}, l.ln_1_bias);
    visit(h + "attn.c_attn.weight", Shape{C, 3 * C}, l.attn_weight);
    visit(h + "attn.c_attn.bias", Shape{3 * C}, l.attn_bias);
    visit(h + "attn.c_proj.weight", Shape{C, C}, l.attn_proj_weight);
    visit(h + "attn.c_proj.bias", Shape{C}, l.attn_proj_bias);
    visit(h + "ln_2.weight", Shape{C}, l.ln_2_weight);
    visit(h + "ln_2.bias", Shape{C}, l.ln_2_bias);
    visit(h + "mlp.c_fc.weight", Shape{C, F}, l.mlp_fc_weight);
    visit(h + "mlp.c_fc.bias", Shape{F}, l.mlp_fc_bias);
    visit(h + "mlp.c_proj.weight", Shape{F, C}, l.mlp_proj_weight);
    visit(h + "mlp.c_proj.bias", Shape{C}, l.mlp_proj_bias);
  }
  visit("ln_f.weight", Shape{C}, w.ln_f_weight);
  visit("ln_f.bias", Shape{C}, w.ln_f_bias);
}

bool is_gpt2_matrix(const std::string& name) {
  return name == "wte.weight" || name == "lm_head.weight" || name.ends_with("attn.c_attn.weight") ||
         name.ends_with("attn.c_proj.weight") || name.ends_with("mlp.c_fc.weight") ||
         name.ends_with("mlp.c_proj.weight");
}

Gpt2Weights load_gpt2_weights(const SafetensorsFile& file, const Gpt2Config& config,
                              const ProgressFn& progress, Gpt2FileMatrices* leave_in_file) {
  const std::string where = file.path().string();
  struct Plan {
    std::string name;  // without the prefix
    const SafetensorsTensor* tensor;
    FloatBuffer* storage;
  };
  std::vector<Plan> plan;
  std::set<std::string> used;
  Gpt2Weights weights;

  auto check = [&](const SafetensorsTensor& t, const std::vector<std::uint64_t>& shape) {
    if (t.dtype != SafetensorsDtype::F32 && t.dtype != SafetensorsDtype::F16 &&
        t.dtype != SafetensorsDtype::BF16) {
      throw Error(where + ": tensor '" + t.name + "' has dtype " +
                  std::string(dtype_name(t.dtype)) + "; model weights must be F32, F16 or BF16.");
    }
    if (t.shape != shape) {
      throw Error(where + ": tensor '" + t.name + "' has shape " + shape_to_string(t.shape) +
                  " but the config needs " + shape_to_string(shape) + ".");
    }
  };

  // Pass 1: resolve every name and check every shape; nothing is allocated
  // for data until the whole file is known to fit the config.
  for_each_gpt2_tensor(
      config, weights, [&](const std::string& name, const auto& shape, FloatBuffer& storage) {
        const SafetensorsTensor* prefixed = file.find(std::string(kPrefix) + name);
        const SafetensorsTensor* bare = file.find(name);
        if (prefixed && bare) {
          throw Error(where + ": holds both '" + name + "' and '" + std::string(kPrefix) + name +
                      "'; it is unclear which to use.");
        }
        const SafetensorsTensor* t = prefixed ? prefixed : bare;
        if (!t) {
          throw Error(where + ": tensor '" + name + "' is missing (the config has n_layer = " +
                      std::to_string(config.n_layer) + ").");
        }
        check(*t, shape);
        used.insert(t->name);
        plan.push_back({name, t, &storage});
      });
  if (const SafetensorsTensor* head = file.find("lm_head.weight")) {
    check(*head, {static_cast<std::uint64_t>(config.vocab_size),
                  static_cast<std::uint64_t>(config.n_embd)});
    used.insert(head->name);
    plan.push_back({"lm_head.weight", head, &weights.lm_head});
  }
  for (const auto& t : file.tensors()) {
    if (!used.count(t.name) && !is_ignored_buffer(t.name)) {
      throw Error(where + ": tensor '" + t.name + "' is not part of a GPT-2 model with " +
                  std::to_string(config.n_layer) + " layers.");
    }
  }

  // Pass 2: convert, reporting progress by bytes.
  std::uint64_t total = 0, done = 0;
  for (const auto& p : plan) total += p.tensor->end - p.tensor->begin;
  if (leave_in_file) {
    leave_in_file->file = &file;
    leave_in_file->progress = progress;
    leave_in_file->bytes_total = total;
    std::erase_if(plan, [&](const Plan& p) {
      if (!is_gpt2_matrix(p.name)) return false;
      leave_in_file->tensors[p.name] = p.tensor;
      return true;
    });
  }
  check_cancel(progress, 0.0, "Loading weights");
  for (const auto& p : plan) {
    p.storage->resize(p.tensor->element_count);
    file.read_floats(*p.tensor, *p.storage);
    done += p.tensor->end - p.tensor->begin;
    check_cancel(progress, total ? static_cast<double>(done) / total : 1.0, "Loading weights");
  }
  if (leave_in_file) leave_in_file->bytes_done = done;
  return weights;
}

Gpt2Weights random_gpt2_weights(const Gpt2Config& config, std::uint64_t seed, bool tied_head) {
  validate_gpt2_config(config, "random GPT-2 config");
  Gpt2Weights weights;
  SplitMix64 rng{seed};
  auto fill = [&](const std::string& name, const std::vector<std::uint64_t>& shape,
                  FloatBuffer& storage) {
    std::uint64_t n = 1;
    for (auto d : shape) n *= d;
    storage.resize(n);
    // LayerNorm gains near 1, everything else small, like a fresh GPT-2.
    const bool gain = name.ends_with("ln_1.weight") || name.ends_with("ln_2.weight") ||
                      name.ends_with("ln_f.weight");
    for (auto& v : storage) v = gain ? 1.0f + 0.1f * rng.symmetric() : 0.035f * rng.symmetric();
  };
  for_each_gpt2_tensor(config, weights, fill);
  if (!tied_head) {
    fill("lm_head.weight",
         {static_cast<std::uint64_t>(config.vocab_size), static_cast<std::uint64_t>(config.n_embd)},
         weights.lm_head);
  }
  return weights;
}

}  // namespace beamscope
