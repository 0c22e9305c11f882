// GUI-side timings on the bundled model, offscreen, everything on one thread
// (what the decoding worker and the GUI thread each do, run back to back):
//
//   change_*       a slider change on a fully cached ~2k-node tree: the
//                  decoder re-run (logits all from the LogitsCache) until the
//                  new tree snapshot is ready, and from there until the tree
//                  view has painted it (TreeScene::setTree + a full viewport
//                  paint). The GUI's 30 ms slider debounce is not included.
//                  Each re-run's tree is checked (untimed) against the first
//                  run's: change_*_other_trees must be 0.
//   big_*          a ~20k-node tree decoded by the model: layout alone, the
//                  scene build (labels + layout + items) and the first full
//                  paint; then pan and zoom frames, each a full viewport
//                  repaint, at fit-to-window (lowest detail) and at 1:1.
//
// Prints one JSON object of medians (thread CPU milliseconds, like the decode
// bench, so neighbours on a shared machine do not count) for bench/run.sh.
//
// Usage: QT_QPA_PLATFORM=offscreen tree_ui_bench [--repeats N] [--changes-only]
// (--changes-only skips the big tree, for profiling the slider path.)
#include <QApplication>
#include <QScrollBar>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "layout/tree_layout.h"
#include "model/model_folder.h"
#include "tree_scene.h"
#include "tree_view.h"

namespace beamscope {
namespace {

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return 1e3 * static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_nsec);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0.0 : (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

constexpr const char* kPrompt = "The old lighthouse keeper";

// A view of the size the main window gives the tree on a laptop screen.
struct Canvas {
  ui::TreeScene scene;
  ui::TreeView view{&scene};
  Canvas() {
    view.resize(1400, 900);
    view.show();
    QApplication::processEvents();
  }
  // setTree + one full paint of the viewport: "the new tree is on screen".
  void draw(std::shared_ptr<const TokenTree> tree) {
    scene.setTree(std::move(tree), QString::fromUtf8(kPrompt));
    paint();
  }
  void paint() { view.viewport()->repaint(); }
};

class Bench {
 public:
  Bench() : loaded_(load_model(bundled_model_dir())) {
    decoder_ =
        std::make_unique<Decoder>(*loaded_.model, *loaded_.tokenizer, loaded_.info.eos_ids, cache_);
    prompt_ids_ = loaded_.tokenizer->encode(kPrompt);
  }

  std::shared_ptr<const TokenTree> decode(const DecodeParams& params) {
    // The worker's path: run, then freeze the tree into a shared snapshot.
    return std::make_shared<const TokenTree>(decoder_->run(prompt_ids_, params).tree);
  }

  // Alternates a parameter between two values on a tree whose every prefix
  // is already cached; records ready and drawn times per change.
  void time_change(const std::string& name, DecodeParams a, DecodeParams b, int repeats,
                   std::map<std::string, double>& out) {
    Canvas canvas;
    // The first runs, partly on the model: what every timed re-run must give.
    const auto tree_a = decode(a);
    canvas.draw(tree_a);
    const auto tree_b = decode(b);
    canvas.draw(tree_b);  // now both trees' prefixes are cached
    const std::size_t misses_before = cache_.misses();
    std::vector<double> ready, built, drawn;
    int nodes = 0;
    int other_trees = 0;
    for (int i = 0; i < repeats; ++i) {
      const DecodeParams& p = i % 2 ? b : a;
      const double start = thread_cpu_ms();
      auto tree = decode(p);
      const double at_ready = thread_cpu_ms();
      nodes = std::max(nodes, tree->size());
      const std::shared_ptr<const TokenTree> drawn_tree = tree;
      canvas.scene.setTree(std::move(tree), QString::fromUtf8(kPrompt));
      const double at_built = thread_cpu_ms();
      canvas.paint();
      const double at_drawn = thread_cpu_ms();
      other_trees += !(*drawn_tree == *(i % 2 ? tree_b : tree_a));  // after the clock
      ready.push_back(at_ready - start);
      built.push_back(at_built - at_ready);
      drawn.push_back(at_drawn - start);
    }
    out["change_" + name + "_ready_ms"] = median(ready);
    out["change_" + name + "_scene_ms"] = median(built);  // of drawn: setTree alone
    out["change_" + name + "_drawn_ms"] = median(drawn);
    out["change_" + name + "_nodes"] = nodes;
    // Must be 0: a change on a cached tree never runs the model.
    out["change_" + name + "_model_misses"] = static_cast<double>(cache_.misses() - misses_before);
    // Must be 0: a re-run on the cached logits gives the very tree the first
    // run gave (TokenTree's ==: every node, number and sequence).
    out["change_" + name + "_other_trees"] = other_trees;
  }

  void time_big_tree(const DecodeParams& params, int repeats, std::map<std::string, double>& out) {
    const auto tree = decode(params);
    out["big_nodes"] = tree->size();
    std::vector<double> layout, build, first_paint;
    for (int i = 0; i < repeats; ++i) {
      double start = thread_cpu_ms();
      const TreeLayout l = layout_tree(*tree);
      layout.push_back(thread_cpu_ms() - start);
      Canvas canvas;  // a fresh scene each time: the build from nothing
      start = thread_cpu_ms();
      canvas.scene.setTree(tree, QString::fromUtf8(kPrompt));
      build.push_back(thread_cpu_ms() - start);
      start = thread_cpu_ms();
      canvas.paint();
      first_paint.push_back(thread_cpu_ms() - start);
    }
    out["big_layout_ms"] = median(layout);
    out["big_scene_build_ms"] = median(build);
    out["big_first_paint_ms"] = median(first_paint);

    Canvas canvas;
    canvas.draw(tree);
    canvas.view.fitTree();
    time_frames("fit", canvas, repeats * 4, out);
    canvas.view.resetZoom();
    canvas.view.centerOn(canvas.scene.sceneRect().center());
    time_frames("1to1", canvas, repeats * 4, out);
  }

 private:
  // Pans (scroll bars, like a drag) and zooms (about the centre, like the
  // wheel) back and forth; every frame is a full viewport repaint.
  void time_frames(const std::string& where, Canvas& c, int frames,
                   std::map<std::string, double>& out) {
    auto frame_times = [&](const std::function<void(int)>& move) {
      std::vector<double> t;
      c.paint();
      for (int i = 0; i < frames; ++i) {
        const double start = thread_cpu_ms();
        move(i);
        c.paint();
        t.push_back(thread_cpu_ms() - start);
      }
      return t;
    };
    QScrollBar* bar = c.view.horizontalScrollBar();
    const auto pan =
        frame_times([&](int i) { bar->setValue(bar->value() + (i % 8 < 4 ? 60 : -60)); });
    const auto zoom = frame_times([&](int i) { c.view.zoomBy(i % 8 < 4 ? 1.1 : 1.0 / 1.1); });
    out["pan_" + where + "_median_ms"] = median(pan);
    out["pan_" + where + "_p95_ms"] = percentile(pan, 0.95);
    out["zoom_" + where + "_median_ms"] = median(zoom);
    out["zoom_" + where + "_p95_ms"] = percentile(zoom, 0.95);
  }

  LoadedModel loaded_;
  LogitsCache cache_;
  std::unique_ptr<Decoder> decoder_;
  std::vector<std::int32_t> prompt_ids_;
};

}  // namespace
}  // namespace beamscope

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  int repeats = 9;
  bool changes_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repeats" && i + 1 < argc) repeats = std::max(2, std::atoi(argv[++i]));
    if (arg == "--changes-only") changes_only = true;
  }
  using namespace beamscope;
  std::map<std::string, double> out;
  try {
    Bench bench;
    // ~2k nodes: 26 samples of 40 tokens (each step also records alternatives).
    DecodeParams sample;
    sample.strategy = StrategyKind::Sample;
    sample.num_samples = 26;
    sample.max_new_tokens = 40;
    sample.seed = 7;
    DecodeParams hotter = sample;
    hotter.temperature = 0.7;
    bench.time_change("temperature", sample, hotter, repeats, out);
    DecodeParams min_p = sample;
    min_p.min_p = 0.05;
    bench.time_change("min_p", sample, min_p, repeats, out);
    DecodeParams beam;
    beam.strategy = StrategyKind::Beam;
    beam.num_beams = 14;
    beam.num_return_sequences = 14;
    beam.max_new_tokens = 40;
    DecodeParams narrower = beam;
    narrower.num_beams = 10;
    narrower.num_return_sequences = 10;
    bench.time_change("beam_width", beam, narrower, repeats, out);

    if (!changes_only) {
      DecodeParams big = sample;
      big.num_samples = 240;
      big.max_new_tokens = 60;
      bench.time_big_tree(big, std::max(3, repeats / 2), out);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  std::printf("{");
  const char* sep = "";
  for (const auto& [key, value] : out) {
    std::printf("%s\"%s\": %.3f", sep, key.c_str(), value);
    sep = ", ";
  }
  std::printf("}\n");
  return 0;
}
