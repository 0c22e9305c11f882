// Fuzzes session files: load_session (read, JSON parse, session_from_json
// with its version and field checks). A session that loads must survive a
// save/load round trip unchanged: session_to_json of the reloaded session
// equals that of the first (compared as serialised text, since NaN != NaN).
//
// Finding = crash, sanitizer report, hang, any exception other than
// beamscope::Error, or a round trip that changes the session.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "io/session.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  const auto path = fuzz::write_scratch_file("session.json", fuzz::as_view(data, size));
  try {
    const Session session = load_session(path);
    const std::string first_text = session_to_json(session).dump();
    // Through the real save path (atomic write) and back.
    const auto saved = fuzz::scratch_dir() / "saved.json";
    save_session(session, saved);
    const Session again = load_session(saved);
    if (session_to_json(again).dump() != first_text) {
      fuzz::fail("save/load round trip changed the session");
    }
  } catch (const Error&) {
  }
  return 0;
}
