#pragma once

#include <QString>
#include <string_view>

namespace beamscope::ui {

// How a token's raw bytes are shown in the tree and the inspector: spaces as
// '␣', newlines as '↵', tabs as '⇥', other control characters as their
// Unicode control pictures, and bytes that are not (yet) valid UTF-8 — a token
// that splits a character — as <0xE2>-style escapes.
QString visible_token_text(std::string_view bytes);

// The same bytes as plain text (for the path text), invalid bytes escaped.
QString utf8_text(std::string_view bytes);

// Compact numbers for node labels: "0.42", ".013", "3.1e-5"; log-probs "-0.87".
QString format_probability(double p);
QString format_logprob(double logprob);
// Three significant digits, for tables and charts where neighbours must differ:
// "0.0123" / "0.0114" (not "0.01"), "0.912", "1.00", "4.56e-5".
QString format_probability_3(double p);

// Last `max_chars` characters of a prompt, with a leading ellipsis if cut.
QString elide_left(const QString& text, int max_chars);

}  // namespace beamscope::ui
