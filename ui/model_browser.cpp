#include "model_browser.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "discovery/find_models.h"
#include "settings_store.h"

namespace beamscope::ui {

namespace {

enum Column { kName, kArchitecture, kParameters, kDtype, kSize, kColumns };
constexpr int kPathRole = Qt::UserRole;

QString source_title(const std::string& source) {
  if (source == "huggingface") return QObject::tr("Hugging Face cache");
  if (source == "ollama") return QObject::tr("Ollama");
  if (source == "lmstudio") return QObject::tr("LM Studio");
  if (source == "llama.cpp") return QObject::tr("llama.cpp cache");
  return QObject::tr("Added folders");
}

QString human_count(std::uint64_t n) {
  if (n >= 1'000'000'000) return QString::number(double(n) / 1e9, 'f', 1) + "B";
  if (n >= 1'000'000) return QString::number(double(n) / 1e6, 'f', 0) + "M";
  return QString::number(double(n) / 1e3, 'f', 0) + "k";
}

QString human_bytes(std::uint64_t n) {
  if (n >= (1ull << 30)) return QString::number(double(n) / double(1ull << 30), 'f', 1) + " GB";
  if (n >= (1ull << 20)) return QString::number(double(n) / double(1ull << 20), 'f', 0) + " MB";
  return QString::number(double(n) / 1024.0, 'f', 0) + " KB";
}

std::vector<SearchRoot> roots_to_scan() {
  std::vector<SearchRoot> roots = default_search_roots();
  for (const QString& folder : settings::modelFolders()) {
    roots.push_back({"folder", folder.toStdString()});
  }
  return roots;
}

}  // namespace

ModelBrowser::ModelBrowser(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Models on This Computer"));
  search_ = new QLineEdit(this);
  search_->setPlaceholderText(tr("Search by name, architecture or quantization"));
  search_->setClearButtonEnabled(true);
  tree_ = new QTreeWidget(this);
  tree_->setColumnCount(kColumns);
  tree_->setHeaderLabels(
      {tr("Model"), tr("Architecture"), tr("Parameters"), tr("Weights"), tr("Size")});
  tree_->header()->setSectionResizeMode(kName, QHeaderView::Stretch);
  tree_->setRootIsDecorated(true);
  tree_->setUniformRowHeights(true);
  status_ = new QLabel(this);
  auto* buttons = new QDialogButtonBox(this);
  open_ = buttons->addButton(tr("&Open"), QDialogButtonBox::AcceptRole);
  open_->setEnabled(false);
  QPushButton* add = buttons->addButton(tr("&Add Folder…"), QDialogButtonBox::ActionRole);
  QPushButton* refresh = buttons->addButton(tr("&Rescan"), QDialogButtonBox::ActionRole);
  buttons->addButton(QDialogButtonBox::Close);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(search_);
  layout->addWidget(tree_, 1);
  layout->addWidget(status_);
  layout->addWidget(buttons);
  resize(820, 480);

  connect(search_, &QLineEdit::textChanged, this, &ModelBrowser::applyFilter);
  connect(tree_, &QTreeWidget::itemSelectionChanged, this, [this] {
    const auto items = tree_->selectedItems();
    open_->setEnabled(!items.isEmpty() && !items[0]->data(kName, kPathRole).toString().isEmpty() &&
                      !items[0]->isDisabled());
  });
  connect(tree_, &QTreeWidget::itemActivated, this, [this] { openSelected(); });
  connect(open_, &QPushButton::clicked, this, &ModelBrowser::openSelected);
  connect(add, &QPushButton::clicked, this, &ModelBrowser::addFolder);
  connect(refresh, &QPushButton::clicked, this, &ModelBrowser::rescan);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  rescan();
}

ModelBrowser::~ModelBrowser() {
  if (scan_.joinable()) scan_.join();
}

void ModelBrowser::rescan() {
  if (scan_.joinable()) scan_.join();
  status_->setText(tr("Looking for models…"));
  QPointer<ModelBrowser> self(this);
  scan_ = std::thread([self, roots = roots_to_scan()] {
    auto models = std::make_shared<std::vector<FoundModel>>(find_models(roots));
    // Back on the GUI thread; the dialog may be closing by then.
    QMetaObject::invokeMethod(
        qApp,
        [self, models] {
          if (self) self->showModels(*models);
        },
        Qt::QueuedConnection);
  });
}

void ModelBrowser::showModels(const std::vector<FoundModel>& models) {
  tree_->clear();
  std::map<std::string, QTreeWidgetItem*> groups;
  int openable = 0;
  for (const FoundModel& model : models) {
    QTreeWidgetItem*& group = groups[model.source];
    if (group == nullptr) {
      group = new QTreeWidgetItem(tree_, {source_title(model.source)});
      group->setFirstColumnSpanned(true);
      group->setExpanded(true);
    }
    auto* item = new QTreeWidgetItem(group);
    item->setText(kName, QString::fromStdString(model.name));
    item->setText(kArchitecture, QString::fromStdString(model.architecture));
    item->setText(kParameters, model.parameter_count ? human_count(*model.parameter_count) : "");
    item->setText(kDtype, QString::fromStdString(model.dtype));
    item->setText(kSize, human_bytes(model.size_bytes));
    item->setData(kName, kPathRole, QString::fromStdString(model.path.string()));
    item->setToolTip(kName,
                     QString::fromStdString(model.can_open ? model.path.string() : model.reason));
    item->setDisabled(!model.can_open);
    openable += model.can_open ? 1 : 0;
  }
  status_->setText(
      models.empty()
          ? tr("No models found. Add a folder, or download one with transformers, "
               "Ollama or LM Studio.")
          : tr("%1 models, %2 of them open in Beamscope.").arg(models.size()).arg(openable));
  applyFilter();
  emit scanFinished();
}

void ModelBrowser::applyFilter() {
  const QString needle = search_->text().trimmed();
  for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
    QTreeWidgetItem* group = tree_->topLevelItem(g);
    int shown = 0;
    for (int i = 0; i < group->childCount(); ++i) {
      QTreeWidgetItem* item = group->child(i);
      bool match = needle.isEmpty();
      for (int c = 0; c < kColumns && !match; ++c) {
        match = item->text(c).contains(needle, Qt::CaseInsensitive);
      }
      item->setHidden(!match);
      shown += match ? 1 : 0;
    }
    group->setHidden(shown == 0);
  }
}

void ModelBrowser::openSelected() {
  const auto items = tree_->selectedItems();
  if (items.isEmpty() || items[0]->isDisabled()) return;
  const QString path = items[0]->data(kName, kPathRole).toString();
  if (path.isEmpty()) return;
  emit modelChosen(path);
  accept();
}

void ModelBrowser::addFolder() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a Folder to Search"),
                                                           settings::lastModelDir());
  if (folder.isEmpty()) return;
  settings::addModelFolder(folder);
  rescan();
}

}  // namespace beamscope::ui
