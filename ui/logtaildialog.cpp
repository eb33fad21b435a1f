// SPDX-License-Identifier: GPL-3.0-or-later
#include "logtaildialog.h"

#include "sites/jobinfo.h"

#include <QDialogButtonBox>
#include <QVBoxLayout>

namespace vigil {

LogTailDialog::LogTailDialog(Supervisor *supervisor, const JobInfo &job, QWidget *parent)
    : QDialog(parent), m_view(new LogTailView(this))
{
    setObjectName(QStringLiteral("logTailDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setModal(false);
    setWindowTitle(tr("Log of %1 (job %2 on %3)")
                       .arg(job.task.isEmpty() ? job.name : job.task, job.jobId, job.site));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(760, 480);
    m_view->follow(supervisor, job);
}

} // namespace vigil
