#pragma once

#include "model/transformer_kv_cache.h"

namespace beamscope {

// GPT-2's cache is the transformer's (width = n_embd); the name stays for
// the code and tests written against it.
using Gpt2KvCache = TransformerKvCache;

}  // namespace beamscope
