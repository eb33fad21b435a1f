// SPDX-License-Identifier: GPL-3.0-or-later
// The store's schema as a list of migrations. A migration, once released, is
// never edited: a change of the schema is a new entry at the end (and
// Store::kSchemaVersion goes up by one). Times are ISO 8601 UTC text.
#include "store/storedb.h"

namespace vigil {

const QList<QStringList> &storeMigrations()
{
    static const QList<QStringList> migrations{
        // 0 -> 1: the first schema.
        {
            QStringLiteral("CREATE TABLE sites (name TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                           "address TEXT NOT NULL DEFAULT '', first_seen TEXT NOT NULL, "
                           "last_seen TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE runs (site TEXT NOT NULL, run_id TEXT NOT NULL, "
                           "workflow TEXT NOT NULL DEFAULT '', created_at TEXT, "
                           "first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, "
                           "PRIMARY KEY (site, run_id))"),
            QStringLiteral("CREATE TABLE job_states (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "site TEXT NOT NULL, job_id TEXT NOT NULL, "
                           "run_id TEXT NOT NULL DEFAULT '', task TEXT NOT NULL DEFAULT '', "
                           "state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', "
                           "exit_code INTEGER NOT NULL DEFAULT -1, observed_at TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE inbox (site TEXT NOT NULL, run_id TEXT NOT NULL, "
                           "checkpoint_id TEXT NOT NULL, task TEXT NOT NULL DEFAULT '', "
                           "title TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, "
                           "is_read INTEGER NOT NULL DEFAULT 0, "
                           "decided_by TEXT NOT NULL DEFAULT '', option TEXT NOT NULL DEFAULT '', "
                           "decision_id TEXT NOT NULL DEFAULT '', created_at TEXT, "
                           "decided_at TEXT, applied_at TEXT, first_seen TEXT NOT NULL, "
                           "updated_at TEXT NOT NULL, PRIMARY KEY (site, run_id, checkpoint_id))"),
            QStringLiteral("CREATE TABLE outbox (decision_id TEXT PRIMARY KEY, "
                           "site TEXT NOT NULL, run_id TEXT NOT NULL, "
                           "checkpoint_id TEXT NOT NULL, nonce TEXT NOT NULL DEFAULT '', "
                           "option TEXT NOT NULL, params TEXT NOT NULL DEFAULT '{}', "
                           "comment TEXT NOT NULL DEFAULT '', decided_by TEXT NOT NULL, "
                           "client_host TEXT NOT NULL, evidence_sha256 TEXT NOT NULL DEFAULT '', "
                           "decided_at TEXT NOT NULL, state TEXT NOT NULL, "
                           "attempts INTEGER NOT NULL DEFAULT 0, "
                           "last_error TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "decision_id TEXT NOT NULL UNIQUE, site TEXT NOT NULL, "
                           "run_id TEXT NOT NULL, checkpoint_id TEXT NOT NULL, "
                           "option TEXT NOT NULL, params TEXT NOT NULL, comment TEXT NOT NULL, "
                           "decided_by TEXT NOT NULL, client_host TEXT NOT NULL, "
                           "evidence_sha256 TEXT NOT NULL, decided_at TEXT NOT NULL, "
                           "confirmed_at TEXT NOT NULL)"),
        },
        // 1 -> 2: who won when a decision lost the race; indexes for the
        // history of one job and for the outbox's unconfirmed entries.
        {
            QStringLiteral("ALTER TABLE outbox ADD COLUMN winner_by TEXT NOT NULL DEFAULT ''"),
            QStringLiteral("ALTER TABLE outbox ADD COLUMN winner_option TEXT NOT NULL DEFAULT ''"),
            QStringLiteral(
                "ALTER TABLE outbox ADD COLUMN winner_decision_id TEXT NOT NULL DEFAULT ''"),
            QStringLiteral("ALTER TABLE outbox ADD COLUMN winner_decided_at TEXT"),
            QStringLiteral("CREATE INDEX job_states_by_job ON job_states (site, job_id, id)"),
            QStringLiteral("CREATE INDEX outbox_by_state ON outbox (state, site)"),
        },
        // 2 -> 3: the runs whose engine this machine's desktop runs.
        {
            QStringLiteral("CREATE TABLE followed_runs (run_id TEXT PRIMARY KEY, "
                           "site TEXT NOT NULL DEFAULT '', since TEXT NOT NULL)"),
        },
        // 3 -> 4: the byte counts of the metric files the evidence hash covers
        // (a JSON array; '': none recorded, as in every older row).
        {
            QStringLiteral("ALTER TABLE outbox ADD COLUMN evidence_bytes TEXT NOT NULL DEFAULT ''"),
            QStringLiteral("ALTER TABLE audit ADD COLUMN evidence_bytes TEXT NOT NULL DEFAULT ''"),
        },
    };
    static_assert(Store::kSchemaVersion == 4, "add a migration with the new version");
    return migrations;
}

} // namespace vigil
