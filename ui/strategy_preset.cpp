#include "strategy_preset.h"

#include <QStringList>
#include <iterator>

namespace beamscope::ui {

namespace {
// In StrategyPreset order.
const char* const kNames[] = {"greedy", "beam", "top-k", "top-p", "min-p", "custom"};
}  // namespace

QString preset_name(StrategyPreset preset) {
  const auto i = static_cast<std::size_t>(preset);
  return i < std::size(kNames) ? QString::fromLatin1(kNames[i]) : QString();
}

std::optional<StrategyPreset> parse_preset(const QString& name) {
  for (std::size_t i = 0; i < std::size(kNames); ++i) {
    if (name == QLatin1String(kNames[i])) return static_cast<StrategyPreset>(i);
  }
  return std::nullopt;
}

QString preset_names() {
  QStringList names;
  for (const char* name : kNames) names << QString::fromLatin1(name);
  return names.join(QStringLiteral(", "));
}

}  // namespace beamscope::ui
