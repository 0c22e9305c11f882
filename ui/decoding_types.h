#pragma once

#include <QMetaType>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "decoding/decode_params.h"
#include "decoding/token_tree.h"

namespace beamscope::ui {

// An immutable tree snapshot: the worker hands these to the GUI thread, which
// may keep them as long as it likes while the worker goes on.
using TreeSnapshot = std::shared_ptr<const TokenTree>;

// What the GUI knows about the loaded model.
struct ModelSummary {
  QString path;
  QString name;  // folder name
  QString architecture;
  int vocab_size = 0;
  int context_length = 0;
  qulonglong parameter_count = 0;
  qint64 load_ms = 0;
};

// A finished or partial run, delivered to the GUI thread.
struct DecodeOutcome {
  quint64 request = 0;
  TreeSnapshot tree;
  std::vector<std::int32_t> prompt_ids;
  QString prompt_text;
  DecodeParams params;
  int step = 0;           // last step reported
  bool finished = false;  // false = a live snapshot of a running decode
  bool cancelled = false;
  bool capped = false;  // stopped at params.max_nodes (see DecodeResult::capped)
  int model_calls = 0;  // forward passes run (cache misses) in this request
  qint64 elapsed_ms = 0;
};

}  // namespace beamscope::ui

Q_DECLARE_METATYPE(beamscope::ui::ModelSummary)
Q_DECLARE_METATYPE(beamscope::ui::DecodeOutcome)
