// SPDX-License-Identifier: GPL-3.0-or-later
#include "issuespanel.h"

#include "decoratingdelegate.h"
#include "models/issuesmodel.h"
#include "sitespanel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

namespace vigil {

namespace {

QIcon severityIcon(const QWidget *w, Issue::Severity severity)
{
    QStyle::StandardPixmap fallback = QStyle::SP_MessageBoxCritical;
    if (severity == Issue::Severity::Warning)
        fallback = QStyle::SP_MessageBoxWarning;
    else if (severity == Issue::Severity::Info)
        fallback = QStyle::SP_MessageBoxInformation;
    return QIcon::fromTheme(severityIconName(severity), w->style()->standardIcon(fallback));
}

} // namespace

IssuesPanel::IssuesPanel(IssuesModel *model, QWidget *parent)
    : QWidget(parent), m_view(new QTableView(this))
{
    configureTable(m_view);
    m_view->setObjectName(QStringLiteral("issuesView"));
    m_view->setModel(model);
    m_view->setItemDelegate(new DecoratingDelegate(
        [this](QStyleOptionViewItem *option, const QModelIndex &index) {
            if (index.column() == IssuesModel::When)
                DecoratingDelegate::setIcon(
                    option, severityIcon(this, Issue::Severity(
                                                   index.data(IssuesModel::SeverityRole).toInt())));
        },
        m_view));
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    const int em = QFontMetrics(font()).horizontalAdvance(QLatin1Char('M'));
    QHeaderView *header = m_view->horizontalHeader();
    for (auto [col, width] : {std::pair{IssuesModel::When, 8}, std::pair{IssuesModel::Site, 6},
                              std::pair{IssuesModel::Subject, 10}})
        header->resizeSection(col, std::max(width * em, header->sectionSizeHint(col)));

    auto *clear = new QPushButton(tr("C&lear"), this);
    clear->setToolTip(tr("Remove every issue from the list"));
    clear->setObjectName(QStringLiteral("clearIssues"));
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    bar->addStretch(1);
    bar->addWidget(clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(clear, &QPushButton::clicked, model, &IssuesModel::clear);
    const auto update = [clear, model] { clear->setEnabled(model->rowCount() > 0); };
    connect(model, &QAbstractItemModel::rowsInserted, clear, update);
    connect(model, &QAbstractItemModel::rowsRemoved, clear, update);
    update();
}

} // namespace vigil
