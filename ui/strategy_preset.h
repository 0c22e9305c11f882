#pragma once

#include <QString>
#include <optional>

namespace beamscope::ui {

// The decoding strategy as a lecture would name it. Maps onto DecodeParams:
// the sampling presets switch on one truncation stage each; Custom chain
// uses every stage in a user-chosen order.
enum class StrategyPreset { Greedy, Beam, TopK, TopP, MinP, Custom };

// The command-line name ("greedy", "beam", "top-k", "top-p", "min-p",
// "custom") and back.
QString preset_name(StrategyPreset preset);
std::optional<StrategyPreset> parse_preset(const QString& name);
// Every name, comma separated, for messages.
QString preset_names();

}  // namespace beamscope::ui
