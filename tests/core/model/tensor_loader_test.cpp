// TensorLoader::linear on 16-bit checkpoints: stacked projections (q | k | v)
// are packed straight from the mapped file, and a file whose header length
// leaves the tensors at odd addresses (legal, if unusual) gives the same
// matrix as one whose tensors are aligned.
#include "model/architectures/tensor_loader.h"

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "common/safetensors_writer.h"
#include "model/half_float.h"
#include "model/weight_files.h"
#include "model_test_files.h"

namespace beamscope {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Projection {
  std::string name;
  std::uint64_t out;
  std::vector<float> values;  // [out, in], each exact in BF16
  std::string bits;           // the same as BF16 bytes
};

Projection projection(const std::string& name, std::uint64_t out, std::uint64_t in,
                      std::mt19937& rng) {
  std::uniform_int_distribution<int> mantissa(-128, 127);
  Projection p{name, out, {}, {}};
  for (std::uint64_t i = 0; i < out * in; ++i) {
    // Multiples of 2^-7 scaled by 2^-30: BF16 holds them, F16 does not.
    const float v = std::ldexp(static_cast<float>(mantissa(rng)) / 128.0f, -30);
    p.values.push_back(v);
    const std::uint16_t b = *f32_to_bf16_exact(v);
    p.bits.append(reinterpret_cast<const char*>(&b), sizeof b);
  }
  return p;
}

// model.safetensors holding the projections, its header padded with spaces
// to a length of the given parity (data starts at 8 + header length).
void write_file(const std::filesystem::path& dir, const std::vector<Projection>& ps,
                std::uint64_t in, bool odd) {
  nlohmann::json header = nlohmann::json::object();
  std::string data;
  for (const Projection& p : ps) {
    header[p.name] = {{"dtype", "BF16"},
                      {"shape", {p.out, in}},
                      {"data_offsets", {data.size(), data.size() + p.bits.size()}}};
    data += p.bits;
  }
  std::string text = header.dump();
  if ((text.size() % 2 == 1) != odd) text += ' ';
  test::write_bytes(dir / "model.safetensors", test::safetensors_bytes(text, data));
}

TEST(TensorLoader, StacksSixteenBitProjectionsFromTheFileAlignedOrNot) {
  std::mt19937 rng(7);
  const std::uint64_t in = 40;
  const std::vector<Projection> ps = {projection("q", 24, in, rng), projection("k", 5, in, rng),
                                      projection("v", 11, in, rng)};
  RowMatrix expected(in, 40);  // W = [q | k | v]^T
  for (std::uint64_t col = 0; const Projection& p : ps) {
    for (std::uint64_t o = 0; o < p.out; ++o, ++col) {
      for (std::uint64_t k = 0; k < in; ++k) {
        expected(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(col)) =
            p.values[o * in + k];
      }
    }
  }
  const RowMatrix x = RowMatrix::Random(3, in);
  const RowMatrix want = x * expected;
  std::vector<RowMatrix> results;
  for (bool odd : {false, true}) {
    SCOPED_TRACE(odd ? "tensors at odd addresses" : "aligned tensors");
    test::TempDir dir;
    write_file(dir.path(), ps, in, odd);
    const WeightFiles files = WeightFiles::open_folder(dir.path());
    TensorLoader loader(files, {}, {});
    const PanelMatrix w = loader.linear({"q", "k", "v"}, {24, 5, 11}, in);
    EXPECT_EQ(w.storage(), PanelMatrix::Storage::kBF16);
    for (Eigen::Index k = 0; k < static_cast<Eigen::Index>(in); ++k) {
      for (Eigen::Index n = 0; n < 40; ++n) ASSERT_EQ(w.at(k, n), expected(k, n));
    }
    RowMatrix y(3, 40);
    w.multiply(x.data(), 3, y.data(), false);
    EXPECT_LE((y - want).cwiseAbs().maxCoeff(), 1e-13);
    results.push_back(y);
  }
  EXPECT_EQ(std::memcmp(results[0].data(), results[1].data(), sizeof(float) * results[0].size()),
            0);
}

}  // namespace
}  // namespace beamscope
