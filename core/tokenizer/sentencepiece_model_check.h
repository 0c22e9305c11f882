#pragma once

#include <string>
#include <string_view>

namespace beamscope {

// Checks the parts of a SentencePiece model (a serialized ModelProto) that
// libsentencepiece trusts: it builds its piece trie with darts-clone, which
// terminates the process on an empty piece or a piece holding a NUL byte, and
// it walks the normalizer's precompiled double array without bounds checks.
// So before the library sees the bytes, this walks the protobuf wire format
// itself (bounded, no recursion beyond the two levels it needs) and requires
// every piece to be non-empty and NUL-free and every transition of the
// normalizer's double array to stay inside it. Throws beamscope::Error naming
// `name` and the part.
void check_sentencepiece_model(std::string_view bytes, const std::string& name);

}  // namespace beamscope
