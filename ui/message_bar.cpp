#include "message_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace beamscope::ui {

MessageBar::MessageBar(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("message-bar"));
  setFrameShape(QFrame::StyledPanel);
  setAutoFillBackground(true);
  icon_ = new QLabel(this);
  label_ = new QLabel(this);
  label_->setWordWrap(true);
  label_->setTextInteractionFlags(Qt::TextSelectableByMouse);  // errors get copied into reports
  label_->setTextFormat(Qt::PlainText);  // file names and prompts are not markup
  close_ = new QToolButton(this);
  close_->setAutoRaise(true);
  close_->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
  close_->setToolTip(tr("Dismiss"));
  connect(close_, &QToolButton::clicked, this, &MessageBar::clearMessage);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 4, 4, 4);
  layout->addWidget(icon_);
  layout->addWidget(label_, 1);
  layout->addWidget(close_);
  hide();
}

void MessageBar::showMessage(const QString& text, Kind kind) {
  kind_ = kind;
  label_->setText(text);
  const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
  icon_->setPixmap(style()
                       ->standardIcon(kind == Kind::Error ? QStyle::SP_MessageBoxWarning
                                                          : QStyle::SP_MessageBoxInformation)
                       .pixmap(size, size));
  applyPalette();
  show();
}

void MessageBar::clearMessage() {
  label_->clear();
  hide();
}

QString MessageBar::text() const { return label_->text(); }

bool MessageBar::hasMessage() const { return !isHidden() && !label_->text().isEmpty(); }

void MessageBar::applyPalette() {
  // A tint of the theme's own colours, so it reads in light and dark themes.
  QPalette p = parentWidget() ? parentWidget()->palette() : palette();
  const QColor base = p.color(QPalette::Window);
  const QColor tint = kind_ == Kind::Error ? QColor(220, 60, 40) : QColor(40, 120, 220);
  QColor mixed;
  mixed.setRgbF(0.82f * base.redF() + 0.18f * tint.redF(),
                0.82f * base.greenF() + 0.18f * tint.greenF(),
                0.82f * base.blueF() + 0.18f * tint.blueF());
  p.setColor(QPalette::Window, mixed);
  setPalette(p);
}

}  // namespace beamscope::ui
