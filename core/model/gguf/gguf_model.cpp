#include "model/gguf/gguf_model.h"

#include "model/transformer_model.h"
#include "util/error.h"

namespace beamscope {

LoadedModel load_gguf_model(const std::filesystem::path& path, const ProgressFn& progress) {
  const GgufFile file(path);
  TransformerConfig config = gguf_transformer_config(file);
  const ProgressFn weights_progress = [&](double fraction, std::string_view what) {
    return !progress || progress(0.9 * fraction, what);
  };
  TransformerWeights weights = gguf_transformer_weights(file, config, weights_progress);
  if (progress && !progress(0.9, "Loading tokenizer")) throw Cancelled();
  LoadedModel loaded;
  loaded.tokenizer = gguf_tokenizer(file);
  const int vocab = config.vocab;
  loaded.model =
      std::make_unique<TransformerModel>(std::move(config), std::move(weights), path.string());
  loaded.info = loaded.model->info();
  loaded.info.path = path.string();
  loaded.info.files = {path.string()};
  loaded.info.dtype = gguf_dtype(file);
  if (loaded.tokenizer->vocab_size() > vocab)
    file.fail("has a tokenizer of " + std::to_string(loaded.tokenizer->vocab_size()) +
              " tokens but token_embd has only " + std::to_string(vocab) + " rows");
  if (const auto bos = file.integer("tokenizer.ggml.bos_token_id");
      bos && *bos >= 0 && *bos < vocab)
    loaded.info.bos_id = static_cast<std::int32_t>(*bos);
  for (const char* key : {"tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id",
                          "tokenizer.ggml.eom_token_id"}) {
    const auto id = file.integer(key);
    if (!id) continue;
    if (*id < 0 || *id >= vocab)
      file.fail("has " + std::string(key) + " = " + std::to_string(*id) +
                ", outside the vocabulary");
    const auto v = static_cast<std::int32_t>(*id);
    if (std::find(loaded.info.eos_ids.begin(), loaded.info.eos_ids.end(), v) ==
        loaded.info.eos_ids.end())
      loaded.info.eos_ids.push_back(v);
  }
  if (progress && !progress(1.0, "Model loaded")) throw Cancelled();
  return loaded;
}

}  // namespace beamscope
