#include "token_display.h"

#include <algorithm>
#include <cmath>

namespace beamscope::ui {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one
// (truncated, overlong, surrogate or beyond U+10FFFF).
int utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  int len = 0;
  char32_t min = 0;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + static_cast<std::size_t>(len) > s.size()) return 0;
  char32_t cp = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const unsigned char b = byte(i + static_cast<std::size_t>(k));
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

QString escape_byte(unsigned char b) {
  return QStringLiteral("<0x%1>").arg(
      QString::number(b, 16).toUpper().rightJustified(2, QLatin1Char('0')));
}

// Walks `bytes`, passing each valid character (as UTF-8) or invalid byte on.
template <typename OnChar, typename OnBad>
void walk_utf8(std::string_view bytes, OnChar on_char, OnBad on_bad) {
  for (std::size_t i = 0; i < bytes.size();) {
    const int len = utf8_sequence_length(bytes, i);
    if (len == 0) {
      on_bad(static_cast<unsigned char>(bytes[i]));
      ++i;
    } else {
      on_char(bytes.substr(i, static_cast<std::size_t>(len)));
      i += static_cast<std::size_t>(len);
    }
  }
}

}  // namespace

QString visible_token_text(std::string_view bytes) {
  QString out;
  walk_utf8(
      bytes,
      [&](std::string_view ch) {
        if (ch.size() == 1) {
          const unsigned char c = static_cast<unsigned char>(ch[0]);
          switch (c) {
            case ' ':
              out += QChar(0x2423);  // ␣
              return;
            case '\n':
              out += QChar(0x21B5);  // ↵
              return;
            case '\t':
              out += QChar(0x21E5);  // ⇥
              return;
            case '\r':
              out += QChar(0x240D);  // ␍
              return;
            default:
              if (c < 0x20) {
                out += QChar(0x2400 + c);  // control pictures block
                return;
              }
              if (c == 0x7F) {
                out += QChar(0x2421);  // ␡
                return;
              }
          }
        }
        out += QString::fromUtf8(ch.data(), static_cast<qsizetype>(ch.size()));
      },
      [&](unsigned char b) { out += escape_byte(b); });
  if (out.isEmpty()) out = QStringLiteral("∅");  // an empty token still needs a visible mark
  return out;
}

QString utf8_text(std::string_view bytes) {
  QString out;
  walk_utf8(
      bytes,
      [&](std::string_view ch) {
        out += QString::fromUtf8(ch.data(), static_cast<qsizetype>(ch.size()));
      },
      [&](unsigned char b) { out += escape_byte(b); });
  return out;
}

QString format_probability(double p) {
  if (!std::isfinite(p)) return QStringLiteral("–");
  if (p <= 0.0) return QStringLiteral("0");
  if (p >= 0.995) return QStringLiteral("1.00");
  if (p >= 0.01) return QString::number(p, 'f', 2);
  if (p >= 0.001) return QString::number(p, 'f', 3);
  return QString::number(p, 'e', 1);
}

QString format_probability_3(double p) {
  if (!std::isfinite(p)) return QStringLiteral("–");
  if (p <= 0.0) return QStringLiteral("0");
  if (p < 0.001)
    return QString::number(p, 'e', 2).replace(QStringLiteral("e-0"), QStringLiteral("e-"));
  // Rounded first, so 0.09996 becomes "0.100", not "0.1000".
  const double r = QString::number(p, 'g', 3).toDouble();
  const int decimals = std::clamp(2 - int(std::floor(std::log10(r))), 2, 5);
  return QString::number(r, 'f', decimals);
}

QString format_logprob(double logprob) {
  if (std::isnan(logprob)) return QStringLiteral("–");
  if (std::isinf(logprob)) return logprob < 0 ? QStringLiteral("−∞") : QStringLiteral("∞");
  QString s = QString::number(logprob, 'f', 2);
  if (s.startsWith(QLatin1Char('-'))) s.replace(0, 1, QChar(0x2212));  // typographic minus
  return s;
}

QString elide_left(const QString& text, int max_chars) {
  if (text.size() <= max_chars) return text;
  return QChar(0x2026) + text.right(max_chars - 1);
}

}  // namespace beamscope::ui
