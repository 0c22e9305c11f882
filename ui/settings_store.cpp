#include "settings_store.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>

namespace beamscope::ui::settings {

QString prompt(const QString& fallback) {
  return QSettings().value(QStringLiteral("run/prompt"), fallback).toString();
}

void setPrompt(const QString& prompt) {
  QSettings().setValue(QStringLiteral("run/prompt"), prompt);
}

DecodeParams params(const DecodeParams& fallback) {
  QSettings s;
  s.beginGroup(QStringLiteral("params"));
  DecodeParams d = fallback;
  auto text = [&](const char* key, std::string_view def) {
    return s.value(QLatin1String(key), QString::fromUtf8(def.data(), qsizetype(def.size())))
        .toString()
        .toStdString();
  };
  // Saved values are re-validated by name; anything unknown keeps the fallback.
  if (auto v = parse_strategy(text("strategy", to_string(d.strategy)))) d.strategy = *v;
  if (auto v = parse_early_stopping(text("early_stopping", to_string(d.early_stopping)))) {
    d.early_stopping = *v;
  }
  if (auto v = parse_order(text("order", to_string(d.order)))) d.order = *v;
  d.max_new_tokens = s.value(QStringLiteral("max_new_tokens"), d.max_new_tokens).toInt();
  d.num_beams = s.value(QStringLiteral("num_beams"), d.num_beams).toInt();
  d.length_penalty = s.value(QStringLiteral("length_penalty"), d.length_penalty).toDouble();
  d.num_return_sequences =
      s.value(QStringLiteral("num_return_sequences"), d.num_return_sequences).toInt();
  d.repetition_penalty =
      s.value(QStringLiteral("repetition_penalty"), d.repetition_penalty).toDouble();
  d.temperature = s.value(QStringLiteral("temperature"), d.temperature).toDouble();
  d.top_k = s.value(QStringLiteral("top_k"), d.top_k).toInt();
  d.top_p = s.value(QStringLiteral("top_p"), d.top_p).toDouble();
  d.min_p = s.value(QStringLiteral("min_p"), d.min_p).toDouble();
  d.seed = s.value(QStringLiteral("seed"), qulonglong(d.seed)).toULongLong();
  d.num_samples = s.value(QStringLiteral("num_samples"), d.num_samples).toInt();
  d.alternatives = s.value(QStringLiteral("alternatives"), d.alternatives).toInt();
  const QStringList chain = s.value(QStringLiteral("custom_order")).toStringList();
  if (!chain.isEmpty()) {
    d.custom_order.clear();
    for (const QString& stage : chain) d.custom_order.push_back(stage.toStdString());
  }
  s.endGroup();
  return d;
}

void setParams(const DecodeParams& d) {
  QSettings s;
  s.beginGroup(QStringLiteral("params"));
  auto name = [](std::string_view v) { return QString::fromUtf8(v.data(), qsizetype(v.size())); };
  s.setValue(QStringLiteral("strategy"), name(to_string(d.strategy)));
  s.setValue(QStringLiteral("early_stopping"), name(to_string(d.early_stopping)));
  s.setValue(QStringLiteral("order"), name(to_string(d.order)));
  s.setValue(QStringLiteral("max_new_tokens"), d.max_new_tokens);
  s.setValue(QStringLiteral("num_beams"), d.num_beams);
  s.setValue(QStringLiteral("length_penalty"), d.length_penalty);
  s.setValue(QStringLiteral("num_return_sequences"), d.num_return_sequences);
  s.setValue(QStringLiteral("repetition_penalty"), d.repetition_penalty);
  s.setValue(QStringLiteral("temperature"), d.temperature);
  s.setValue(QStringLiteral("top_k"), d.top_k);
  s.setValue(QStringLiteral("top_p"), d.top_p);
  s.setValue(QStringLiteral("min_p"), d.min_p);
  s.setValue(QStringLiteral("seed"), qulonglong(d.seed));
  s.setValue(QStringLiteral("num_samples"), d.num_samples);
  s.setValue(QStringLiteral("alternatives"), d.alternatives);
  QStringList chain;
  for (const std::string& stage : d.custom_order) chain << QString::fromStdString(stage);
  s.setValue(QStringLiteral("custom_order"), chain);
  s.endGroup();
}

int preset() { return QSettings().value(QStringLiteral("run/preset"), -1).toInt(); }

void setPreset(int preset) { QSettings().setValue(QStringLiteral("run/preset"), preset); }

QStringList recentModels() {
  QStringList out;
  for (const QString& f : QSettings().value(QStringLiteral("models/recent")).toStringList()) {
    if (QFileInfo(f).isDir() && !out.contains(f)) out << f;
  }
  return out;
}

void addRecentModel(const QString& folder) {
  const QString path = QDir(folder).absolutePath();
  QStringList list = recentModels();
  list.removeAll(path);
  list.prepend(path);
  while (list.size() > kMaxRecent) list.removeLast();
  QSettings().setValue(QStringLiteral("models/recent"), list);
}

QByteArray windowGeometry() {
  return QSettings().value(QStringLiteral("window/geometry")).toByteArray();
}

void setWindowGeometry(const QByteArray& geometry) {
  QSettings().setValue(QStringLiteral("window/geometry"), geometry);
}

QByteArray windowState() { return QSettings().value(QStringLiteral("window/state")).toByteArray(); }

void setWindowState(const QByteArray& state) {
  QSettings().setValue(QStringLiteral("window/state"), state);
}

bool logProbView() { return QSettings().value(QStringLiteral("view/logprob"), false).toBool(); }

void setLogProbView(bool on) { QSettings().setValue(QStringLiteral("view/logprob"), on); }

QString lastModelDir() { return QSettings().value(QStringLiteral("models/last-dir")).toString(); }

void setLastModelDir(const QString& folder) {
  QSettings().setValue(QStringLiteral("models/last-dir"), folder);
}

QString lastExportPath() { return QSettings().value(QStringLiteral("export/last")).toString(); }

void setLastExportPath(const QString& path) {
  QSettings().setValue(QStringLiteral("export/last"), path);
}

double exportScale() { return QSettings().value(QStringLiteral("export/scale"), 2.0).toDouble(); }

void setExportScale(double scale) { QSettings().setValue(QStringLiteral("export/scale"), scale); }

void useScratchCopy() {
  // Every QSettings() in the app is default-constructed: pointing the
  // default (INI) location at a temporary folder moves them all at once.
  static QTemporaryDir scratch;
  const QSettings user;
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, scratch.path());
  QSettings copy;
  for (const QString& key : user.allKeys()) copy.setValue(key, user.value(key));
}

}  // namespace beamscope::ui::settings
